import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_DRIP_MS, DEFAULT_RETRY_AFTER_SEC, type FaultRule } from "./faults.js";
import type { RawAnswer } from "./options.js";
import { type ErrorAnswer, headerOf } from "./request.js";

export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** The HTML page nginx answers with for this status, as a gateway in front of the API would. */
function gatewayPage(status: string): string {
  return `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

const GATEWAY_PAGES = {
  429: gatewayPage("429 Too Many Requests"),
  502: gatewayPage("502 Bad Gateway"),
  503: gatewayPage("503 Service Temporarily Unavailable"),
} as const;

const REFUSAL_ERRORS = {
  throttle: { code: "RequestLimitExceeded", message: "Your request rate is too high." },
  denied: { code: "UnauthorizedOperation", message: "The CAM policy of this key does not allow the action." },
  internal: { code: "InternalError", message: "An internal error occurred; try again later." },
} as const satisfies Record<string, ErrorAnswer>;

export function envelope(error: ErrorAnswer): string {
  return JSON.stringify({ Response: { Error: { Code: error.code, Message: error.message }, RequestId: randomUUID() } });
}

/** Sends `body` one byte every `everyMs` ms after the headers (with the full Content-Length). */
function drip(res: ServerResponse, body: Buffer, everyMs: number): void {
  res.flushHeaders();
  if (body.length === 0) {
    res.end();
    return;
  }
  let sent = 0;
  const timer = setInterval(() => {
    res.write(body.subarray(sent, sent + 1));
    sent += 1;
    if (sent >= body.length) {
      clearInterval(timer);
      res.end();
    }
  }, everyMs);
  // close() or the client destroys the socket: the drip's timer ends with it.
  res.on("close", () => clearInterval(timer));
}

/** One request's answer: every way the simulator can answer (or not) goes through here. */
export class Reply {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #dateMs: () => number;

  /** `dateMs`: the simulator clock, for the Date header. */
  constructor(req: IncomingMessage, res: ServerResponse, dateMs: () => number) {
    this.#req = req;
    this.#res = res;
    this.#dateMs = dateMs;
  }

  #headers(contentType: string, contentLength: number): void {
    const res = this.#res;
    res.setHeader("Date", new Date(this.#dateMs()).toUTCString());
    res.setHeader("Content-Type", contentType);
    res.setHeader("Content-Length", contentLength);
    const traceId = headerOf(this.#req.headers, "x-tc-traceid");
    if (traceId !== undefined && traceId.length <= 128) res.setHeader("X-TC-TraceId", traceId);
  }

  /** Writes the whole answer, or destroys the socket when Node refuses a header (never throws). */
  send(status: number, body: string, contentType = "application/json", extra: Record<string, string> = {}): void {
    const res = this.#res;
    if (res.headersSent || res.destroyed) return;
    try {
      this.#headers(contentType, Buffer.byteLength(body));
      for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
      res.writeHead(status);
      res.end(body);
    } catch {
      res.destroy();
    }
  }

  error(error: ErrorAnswer, status = 200): void {
    this.send(status, envelope(error));
  }

  /** Ends keep-alive: the rest of an oversized body is not read. */
  closeAfter(): void {
    this.#res.shouldKeepAlive = false;
  }

  allow(method: string): void {
    this.#res.setHeader("Allow", method);
  }

  /** An `answer` override, verbatim: its headers go over the defaults. */
  raw(answer: RawAnswer): void {
    this.send(answer.status ?? 200, answer.body, "application/json", answer.headers ?? {});
  }

  /** A refusal fault: the action was not performed. */
  refusal(rule: Pick<FaultRule, "kind" | "retryAfter">) {
    switch (rule.kind) {
      case "http502":
        return this.send(502, GATEWAY_PAGES[502], "text/html");
      case "http429":
      case "http503": {
        const status = rule.kind === "http429" ? 429 : 503;
        const retryAfter = String(rule.retryAfter ?? DEFAULT_RETRY_AFTER_SEC);
        return this.send(status, GATEWAY_PAGES[status], "text/html", { "Retry-After": retryAfter });
      }
      case "throttle":
      case "denied":
      case "internal":
        return this.error(REFUSAL_ERRORS[rule.kind]);
      default:
        throw new Error(`simulator: ${rule.kind} is not a refusal`);
    }
  }

  /** Answers `response` (of an action that WAS applied) as mangled by a lost-answer fault. */
  lost(rule: Pick<FaultRule, "kind" | "dripMs">, response: Record<string, unknown>) {
    const socket = this.#req.socket;
    const res = this.#res;
    switch (rule.kind) {
      case "reset":
        try {
          socket.resetAndDestroy();
        } catch {
          socket.destroy();
        }
        return;
      case "stall":
        return; // close() or the client ends it
      case "truncated": {
        const full = Buffer.from(JSON.stringify({ Response: response }));
        this.#headers("application/json", full.length);
        res.writeHead(200);
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => socket.destroy());
        return;
      }
      case "slowBody": {
        const full = Buffer.from(JSON.stringify({ Response: response }));
        this.#headers("application/json", full.length);
        res.writeHead(200);
        drip(res, full, rule.dripMs ?? DEFAULT_DRIP_MS);
        return;
      }
      case "invalidJson":
        return this.send(200, '{"Response": {');
      case "emptyBody":
        return this.send(200, "");
      default: {
        // nullFields: every field but RequestId null (an answer with only a RequestId is unchanged).
        const body = Object.fromEntries(
          Object.keys(response).map((key) => [key, key === "RequestId" ? response.RequestId : null]),
        );
        this.send(200, JSON.stringify({ Response: body }));
      }
    }
  }
}

/**
 * Reads the body (at most MAX_REQUEST_BODY_BYTES, without buffering more) and calls `onBody` with it, or
 * `onTooLarge` once as soon as it is known to be too large.
 */
export function readBody(req: IncomingMessage, onBody: (body: Buffer) => void, onTooLarge: () => void) {
  const declared = Number(headerOf(req.headers, "content-length"));
  if (declared > MAX_REQUEST_BODY_BYTES) return onTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) {
      settled = true;
      req.off("data", onData);
      chunks.length = 0;
      onTooLarge();
      return;
    }
    chunks.push(chunk);
  };
  req.on("data", onData);
  req.on("end", () => {
    if (settled) return;
    settled = true;
    onBody(Buffer.concat(chunks));
  });
}
