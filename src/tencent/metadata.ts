import { Agent, type Dispatcher, request } from "undici";
import { Credentials, type Env, present } from "./credentials.js";
import { DEFAULT_METADATA_ENDPOINT, serviceEndpoint } from "./endpoints.js";
import { ApiError, LOCAL_CODES } from "./errors.js";

/** Each metadata request is bounded to this: a machine that is not a CVM must not hold the run. */
export const METADATA_TIMEOUT_MS = 1_000;
const ROLE_PATH = "/latest/meta-data/cam/security-credentials/";
const MAX_BODY_CHARS = 64 * 1024;

export interface MetadataOptions {
  /** Default `TENCENTCLOUD_METADATA_ENDPOINT`, else http://metadata.tencentyun.com. */
  readonly endpoint: URL;
  readonly timeoutMs?: number;
  /** The run's scope (its deadline, SIGINT/SIGTERM): ends a request at once. */
  readonly signal?: AbortSignal;
  /** For tests; by default a direct connection of its own, never a proxy. */
  readonly dispatcher?: Dispatcher;
}

/** Why the instance role gave no credentials, for the chain's list of sources tried. */
export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetadataError";
  }
}

export function metadataEndpoint(env: Env): URL {
  const plainHost = new URL(DEFAULT_METADATA_ENDPOINT).hostname;
  return serviceEndpoint(
    present(env.TENCENTCLOUD_METADATA_ENDPOINT) ?? DEFAULT_METADATA_ENDPOINT,
    "TENCENTCLOUD_METADATA_ENDPOINT",
    { example: DEFAULT_METADATA_ENDPOINT, plainHost },
  );
}

async function get(options: MetadataOptions, dispatcher: Dispatcher, path: string) {
  const timeoutMs = options.timeoutMs ?? METADATA_TIMEOUT_MS;
  const url = new URL(path, options.endpoint);
  try {
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])]);
    const response = await request(url, { dispatcher, signal });
    const body = (await response.body.text()).slice(0, MAX_BODY_CHARS);
    return { status: response.statusCode, body };
  } catch (error) {
    if (options.signal?.aborted) {
      throw new ApiError({
        kind: "fatal",
        code: LOCAL_CODES.aborted,
        message: "the run was stopped (its deadline or a signal) while asking the CVM metadata service",
        maybeApplied: false,
      });
    }
    const code = (error as { code?: unknown }).code;
    const why = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : code;
    throw new MetadataError(
      `the metadata service ${options.endpoint.origin} did not answer (${String(why ?? error)}): not a CVM instance`,
    );
  }
}

/** The role name the metadata service lists; a MetadataError when there is none. */
async function roleName(options: MetadataOptions, dispatcher: Dispatcher): Promise<string> {
  const { status, body } = await get(options, dispatcher, ROLE_PATH);
  const name = body.split(/\r?\n/)[0]?.trim() ?? "";
  if (status === 404 || (status === 200 && name === "")) {
    throw new MetadataError("this CVM instance has no CAM role bound: bind one in the CVM console");
  }
  if (status !== 200 || !/^[\w+=,.@-]{1,128}$/.test(name)) {
    throw new MetadataError(`the metadata service answered HTTP ${status} for the role name`);
  }
  return name;
}

function parseRoleCredentials(role: string, body: string): Credentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const fields = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const { TmpSecretId: id, TmpSecretKey: key, Token: token, ExpiredTime: expiredTime, Code: code } = fields;
  if (code !== undefined && code !== "Success") {
    throw new MetadataError(`the metadata service refused the credentials of role ${role} (Code ${String(code)})`);
  }
  if (typeof id !== "string" || id === "" || typeof key !== "string" || key === "" || typeof token !== "string") {
    throw new MetadataError(
      `the metadata service's credentials of role ${role} lack TmpSecretId, TmpSecretKey or Token`,
    );
  }
  if (typeof expiredTime !== "number" || !Number.isFinite(expiredTime)) {
    throw new MetadataError(`the metadata service's credentials of role ${role} have no ExpiredTime`);
  }
  return new Credentials(id, key, token, expiredTime * 1000);
}

/**
 * The CVM instance role's temporary credentials: `GET …/cam/security-credentials/` for the role's
 * name, then `…/ROLE`. Each request is bounded to one second and goes straight to the metadata
 * service, never through a proxy (it lives on the instance's link).
 */
export async function instanceRoleCredentials(
  options: MetadataOptions,
): Promise<{ role: string; credentials: Credentials }> {
  const dispatcher = options.dispatcher ?? new Agent({ connectTimeout: options.timeoutMs ?? METADATA_TIMEOUT_MS });
  try {
    const role = await roleName(options, dispatcher);
    const { status, body } = await get(options, dispatcher, `${ROLE_PATH}${encodeURIComponent(role)}`);
    if (status !== 200) {
      throw new MetadataError(`the metadata service answered HTTP ${status} for the credentials of role ${role}`);
    }
    return { role, credentials: parseRoleCredentials(role, body) };
  } finally {
    if (!options.dispatcher) await dispatcher.destroy().catch(() => {});
  }
}
