import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY } from "../../src/simulator/index.js";
import { createMetadataHandler } from "../../src/simulator/metadata.js";
import { createStsHandler, type SimRequest, serveWith, TemporaryCredentialBook } from "../../src/simulator/sts.js";

export interface KeylessServerOptions {
  readonly oidcTokens?: readonly string[];
  readonly cvmRole?: string;
  readonly credentialTtlSec?: number;
  /** Simulator clock (ms); default Date.now. */
  readonly now?: () => number;
}

export interface KeylessServer {
  readonly url: string;
  readonly book: TemporaryCredentialBook;
  /** Every request, in arrival order. */
  readonly requests: SimRequest[];
  close(): Promise<void>;
}

/** A plain node:http server mounting the simulator's STS and metadata handlers (`/latest/…`). */
export async function startKeylessServer(options: KeylessServerOptions = {}): Promise<KeylessServer> {
  const book = new TemporaryCredentialBook();
  const now = options.now ?? Date.now;
  const ttl = options.credentialTtlSec === undefined ? {} : { credentialTtlSec: options.credentialTtlSec };
  const sts = createStsHandler({
    secretId: DEMO_SECRET_ID,
    secretKey: DEMO_SECRET_KEY,
    book,
    oidcTokens: options.oidcTokens ?? [],
    ...ttl,
  });
  const metadata = createMetadataHandler({ role: options.cvmRole, book, ...ttl });
  const requests: SimRequest[] = [];
  const server = createServer((req, res) => {
    const route = req.url?.startsWith("/latest/") ? metadata.answer : sts.answer;
    void serveWith(
      (request, atMs) => {
        requests.push(request);
        return route(request, atMs);
      },
      req,
      res,
      now,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    book,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
