import { type SimRequest, startSimulator, type TemporaryCredentialBook } from "../../src/simulator/index.js";

export interface KeylessServerOptions {
  readonly oidcTokens?: readonly string[];
  readonly cvmRole?: string;
  readonly credentialTtlSec?: number;
  /** Simulator clock (ms); default Date.now. */
  readonly now?: () => number;
}

export interface KeylessServer {
  /** Serves STS, the metadata routes and DTS. */
  readonly url: string;
  readonly book: TemporaryCredentialBook;
  /** Every STS and metadata request, in arrival order. */
  readonly requests: readonly SimRequest[];
  close(): Promise<void>;
}

/** The simulator with the demo pair, keeping the STS and metadata requests it was sent. */
export async function startKeylessServer(options: KeylessServerOptions = {}): Promise<KeylessServer> {
  const sim = await startSimulator({ ...options, keepRequests: true });
  return {
    url: sim.url,
    book: sim.credentialBook,
    get requests() {
      return sim.arrivals.flatMap((arrival) =>
        arrival.service !== undefined && arrival.request !== undefined ? [arrival.request] : [],
      );
    },
    close: () => sim.close(),
  };
}
