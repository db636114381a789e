import type { TemporaryCredentialBook, TemporaryCredentials } from "./credential-book.js";
import type { SimAnswer, SimRequest } from "./request.js";

const ROLE_PATH = "/latest/meta-data/cam/security-credentials/";
const DEFAULT_TTL_SEC = 7_200;

export interface MetadataSimulatorOptions {
  /** The CAM role bound to the simulated instance (`--cvm-role`); undefined: none (404s). */
  readonly role: string | undefined;
  readonly book: TemporaryCredentialBook;
  /** Lifetime of the credentials issued (`--credential-ttl`); default 7200. */
  readonly credentialTtlSec?: number | undefined;
}

function text(status: number, body: string): SimAnswer {
  return { status, contentType: "text/plain", body };
}

/**
 * The CVM metadata routes for an instance role: `GET …/cam/security-credentials/` lists the role,
 * `GET …/ROLE` answers its temporary credentials as the real service does (`Code: "Success"`).
 * The same credentials are answered until half their lifetime is gone, then new ones.
 */
export function createMetadataHandler(options: MetadataSimulatorOptions) {
  const ttlSec = options.credentialTtlSec ?? DEFAULT_TTL_SEC;
  let current: TemporaryCredentials | undefined;

  function credentialsAt(atMs: number): TemporaryCredentials {
    if (current === undefined || atMs >= current.expiresAtMs - (ttlSec * 1000) / 2) {
      current = options.book.issue(ttlSec, atMs);
    }
    return current;
  }

  function answer(request: SimRequest, atMs: number): SimAnswer {
    if (request.method !== "GET") return text(405, "GET only\n");
    const path = request.url.split("?")[0] ?? "";
    const { role } = options;
    if (path === ROLE_PATH && role !== undefined) return text(200, role);
    if (role === undefined || path !== `${ROLE_PATH}${encodeURIComponent(role)}`) return text(404, "Not Found\n");
    const issued = credentialsAt(atMs);
    const expiredTime = Math.floor(issued.expiresAtMs / 1000);
    const body = {
      TmpSecretId: issued.secretId,
      TmpSecretKey: issued.secretKey,
      ExpiredTime: expiredTime,
      Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      Token: issued.token,
      Code: "Success",
    };
    return { status: 200, contentType: "application/json", body: JSON.stringify(body) };
  }

  return { answer };
}
