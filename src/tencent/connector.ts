import type { buildConnector } from "undici";

/**
 * What undici's connectors lack, wrapped around one (`buildConnector`'s, or the ProxyAgent's tunnel
 * through `factory`):
 * - A bound on the whole attempt. undici's `connect.timeout` covers the TCP and TLS handshake to
 *   the peer it dials, not a proxy that accepts and never answers `CONNECT`; the attempt's signal,
 *   which the ProxyAgent hands to its `CONNECT` request, is aborted at the bound.
 * - A failure undici cannot retry silently. A connection closed during the attempt (a proxy
 *   closing on `CONNECT`) comes back as `UND_ERR_SOCKET`, which undici takes for a recoverable
 *   socket error: it keeps the requests queued and dials again at once, thousands of times a second.
 *   Any failed attempt is handed back as a `ConnectFailedError` instead, which fails the queued
 *   requests: one attempt per request, and the retry loop's pauses between them.
 * - A pause after a failure before the next attempt (doubling up to a cap, reset by a success),
 *   kept for the whole dispatcher.
 */

/** Before an attempt that follows a failure: the first pause, and the longest. */
export const CONNECT_PAUSE_MS = 100;
export const CONNECT_PAUSE_CAP_MS = 2_000;

/** The code of a failed attempt that had none undici would not retry on its own. */
export const CONNECT_FAILED_CODE = "DTS_GATE_CONNECT_FAILED";
/** Codes undici keeps the requests queued for, dialling again at once. */
const RECOVERABLE_CODES = new Set(["UND_ERR_SOCKET", "UND_ERR_INFO"]);

/** No connection could be made: nothing of the request was sent. Keeps the cause's code otherwise. */
export class ConnectFailedError extends Error {
  readonly code: string;
  constructor(message: string, cause: Error) {
    super(message, { cause });
    this.name = "ConnectFailedError";
    const code = (cause as { code?: unknown }).code;
    this.code = typeof code === "string" && !RECOVERABLE_CODES.has(code) ? code : CONNECT_FAILED_CODE;
  }
}

export interface ConnectorBounds {
  /** Whole attempt: dialling, TLS, a proxy's tunnel. */
  readonly timeoutMs: number;
}

/** Wraps a connector so that it is bounded, its failures final, its attempts paced. */
export type ConnectorGuard = (connect: buildConnector.connector) => buildConnector.connector;

/**
 * One guard per dispatcher: the pause is kept across every connector it wraps, since undici's
 * agents drop an origin's pool after a failed connection and make a new one for the next request.
 */
export function connectorGuard(bounds: ConnectorBounds): ConnectorGuard {
  let pauseMs = 0;
  let notBefore = 0;
  return (connect) => {
    const attempt: buildConnector.connector = (options, callback) => {
      const bound = new AbortController();
      let settled = false;
      const settle: buildConnector.Callback = (...args) => {
        const [error, socket] = args;
        if (settled) {
          socket?.destroy();
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (error) {
          pauseMs = Math.min(CONNECT_PAUSE_CAP_MS, Math.max(CONNECT_PAUSE_MS, pauseMs * 2));
          notBefore = Date.now() + pauseMs;
          bound.abort();
          const why = error.message || (error as { code?: string }).code || "closed";
          callback(
            new ConnectFailedError(`cannot connect to ${options.host ?? options.hostname}: ${why}`, error),
            null,
          );
        } else {
          pauseMs = 0;
          callback(null, socket);
        }
      };
      const timer = setTimeout(
        () => settle(new Error(`no connection within ${bounds.timeoutMs} ms`), null),
        bounds.timeoutMs,
      );
      timer.unref();
      try {
        // The ProxyAgent's tunnel reads `signal` for its CONNECT request; other connectors ignore it.
        connect({ ...options, signal: bound.signal } as buildConnector.Options, settle);
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)), null);
      }
    };
    return (options, callback) => {
      const waitMs = notBefore - Date.now();
      if (waitMs <= 0) return attempt(options, callback);
      setTimeout(() => attempt(options, callback), waitMs).unref();
    };
  };
}
