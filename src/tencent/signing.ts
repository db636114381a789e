import { createHash, createHmac } from "node:crypto";

/** TC3-HMAC-SHA256, as Tencent Cloud API 3.0 and the official SDK (`common/sign.js`) define it. */
export const SIGN_ALGORITHM = "TC3-HMAC-SHA256";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** `YYYY-MM-DD` of a Unix timestamp in seconds, in UTC. */
export function utcDate(timestampSeconds: number): string {
  return new Date(Math.floor(timestampSeconds / 86_400) * 86_400_000).toISOString().slice(0, 10);
}

export interface CanonicalRequestInput {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** Signed headers, lowercase names; values are trimmed here. */
  readonly headers: ReadonlyMap<string, string>;
  readonly payloadHash: string;
}

export function canonicalRequest(input: CanonicalRequestInput): {
  text: string;
  signedHeaders: string;
} {
  const names = [...input.headers.keys()].sort();
  const canonicalHeaders = names.map((name) => `${name}:${input.headers.get(name)?.trim() ?? ""}\n`).join("");
  const signedHeaders = names.join(";");
  const text = [input.method, input.path, input.query, canonicalHeaders, signedHeaders, input.payloadHash].join("\n");
  return { text, signedHeaders };
}

export function stringToSign(timestampSeconds: number, credentialScope: string, canonicalRequestText: string): string {
  return `${SIGN_ALGORITHM}\n${timestampSeconds}\n${credentialScope}\n${sha256Hex(canonicalRequestText)}`;
}

/** The last signing key derived, with what it was derived from. */
let lastSigningKey: { secretKey: string; date: string; service: string; key: Buffer } | undefined;

/**
 * The key of TC3's third step: three HMACs that depend only on the secret key, the day and the
 * service, so a run derives it once a day instead of once a request (a poll's signature cost five
 * HMACs, now two). Credentials that renew simply derive a new one.
 */
function signingKeyOf(secretKey: string, date: string, service: string): Buffer {
  const last = lastSigningKey;
  if (last?.secretKey === secretKey && last.date === date && last.service === service) return last.key;
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request");
  lastSigningKey = { secretKey, date, service, key };
  return key;
}

export function signatureOf(secretKey: string, date: string, service: string, toSign: string): string {
  return createHmac("sha256", signingKeyOf(secretKey, date, service))
    .update(toSign)
    .digest("hex");
}

export interface SignInput {
  readonly secretId: string;
  readonly secretKey: string;
  readonly service: string;
  /** The URL's host name without the port: what the official SDK signs. */
  readonly host: string;
  readonly contentType: string;
  readonly timestampSeconds: number;
  readonly payload: string | Uint8Array;
  readonly method?: string;
  readonly path?: string;
  readonly query?: string;
}

export interface Signature {
  readonly authorization: string;
  readonly signature: string;
}

/** Signs `content-type;host`, the header set of the official SDK. */
export function signTc3(input: SignInput): Signature {
  const date = utcDate(input.timestampSeconds);
  const scope = `${date}/${input.service}/tc3_request`;
  const { text, signedHeaders } = canonicalRequest({
    method: input.method ?? "POST",
    path: input.path ?? "/",
    query: input.query ?? "",
    headers: new Map([
      ["content-type", input.contentType],
      ["host", input.host],
    ]),
    payloadHash: sha256Hex(input.payload),
  });
  const signature = signatureOf(
    input.secretKey,
    date,
    input.service,
    stringToSign(input.timestampSeconds, scope, text),
  );
  return {
    signature,
    authorization: `${SIGN_ALGORITHM} Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

export interface ParsedAuthorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses an `Authorization` header of TC3 form; `undefined` when it is not one. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match =
    /^TC3-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;_-]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header.trim(),
    );
  if (!match) return undefined;
  const [, secretId = "", date = "", service = "", signedHeaders = "", signature = ""] = match;
  return { secretId, date, service, signedHeaders: signedHeaders.split(";"), signature };
}
