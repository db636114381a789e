import type { IncomingMessage } from "node:http";
import type { Tc3Keys } from "./auth.js";
import { TemporaryCredentialBook } from "./credential-book.js";
import { createMetadataHandler } from "./metadata.js";
import type { KeylessService, SimulatorOptions } from "./options.js";
import { headerOf, type SimAnswer, type SimRequest } from "./request.js";
import { createStsHandler, STS_ACTIONS } from "./sts.js";

/** Where a client's TENCENTCLOUD_METADATA_ENDPOINT requests go: every path under it is the metadata service's. */
const METADATA_PREFIX = "/latest/";

/**
 * STS and the CVM metadata routes on the simulator's port, with the book of the temporary
 * credentials they issue (which DTS then accepts with their token until they expire).
 */
export class KeylessRoutes {
  readonly book = new TemporaryCredentialBook();
  readonly #sts: ReturnType<typeof createStsHandler>;
  readonly #metadata: ReturnType<typeof createMetadataHandler>;

  /** `options` already validated; `keys`: the long-term pair AssumeRole accepts. */
  constructor(options: SimulatorOptions, keys: Pick<Tc3Keys, "secretId" | "secretKey">) {
    const ttl = { credentialTtlSec: options.credentialTtlSec };
    this.#sts = createStsHandler({ ...keys, book: this.book, oidcTokens: options.oidcTokens ?? [], ...ttl });
    this.#metadata = createMetadataHandler({ role: options.cvmRole, book: this.book, ...ttl });
  }

  /** The service a request is for: metadata by its path, STS by its X-TC-Action; undefined for DTS. */
  serviceOf(req: IncomingMessage): KeylessService | undefined {
    if ((req.url ?? "").startsWith(METADATA_PREFIX)) return "metadata";
    return STS_ACTIONS.has(headerOf(req.headers, "x-tc-action") ?? "") ? "sts" : undefined;
  }

  answer(service: KeylessService, request: SimRequest, atMs: number): SimAnswer {
    return service === "sts" ? this.#sts.answer(request, atMs) : this.#metadata.answer(request, atMs);
  }
}
