import { type SimRequest, startSimulator, type TemporaryCredentialBook } from "../../src/simulator/index.js";
import { type ResolveOptions, resolveCredentials } from "../../src/tencent/credential-chain.js";

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

/** Profile files from a table of path → text (a missing path has none). */
export const files = (entries: Record<string, string>) => async (path: string) => entries[path];
/** No metadata service: a closed loopback port, refused at once. */
export const NO_CVM = { TENCENTCLOUD_METADATA_ENDPOINT: "http://127.0.0.1:9" };
export const ROLE = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";

/** The chain with no profile file and no metadata service, unless the options give them. */
export function resolve(options: Omit<ResolveOptions, "homeDir" | "readText"> & Partial<ResolveOptions>) {
  return resolveCredentials({ homeDir: "/h", readText: files({}), ...options, env: { ...NO_CVM, ...options.env } });
}
