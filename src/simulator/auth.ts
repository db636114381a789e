import { timingSafeEqual } from "node:crypto";
import {
  canonicalRequest,
  type ParsedAuthorization,
  parseAuthorization,
  sha256Hex,
  signatureOf,
  stringToSign,
  utcDate,
} from "../tencent/signing.js";
import type { TemporaryCredentialBook } from "./credential-book.js";
import { clip, type ErrorAnswer, headerOf, type SimRequest } from "./request.js";

const SIGNATURE_WINDOW_MS = 300_000;

/** What a TC3 signature is checked against. */
export interface Tc3Keys {
  /** The long-term pair accepted. */
  readonly secretId: string;
  readonly secretKey: string;
  /** When set, the X-TC-Token every request signed with the long-term pair must carry. */
  readonly expectToken?: string | undefined;
  /** Temporary credentials issued here: accepted with their own token until they expire. */
  readonly book: TemporaryCredentialBook;
}

/** The Host header's host name without the port: what the official SDK signs. */
function hostName(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

function firstLabel(value: string): string {
  return value.split(".")[0] ?? value;
}

/** Authorization, X-TC-Timestamp, SecretId and the 300 s window: everything before the signature itself. */
function checkEnvelope(
  req: SimRequest,
  keys: Tc3Keys,
  atMs: number,
): ErrorAnswer | { auth: ParsedAuthorization; timestamp: number; secretKey: string } {
  const authorization = headerOf(req.headers, "authorization");
  if (authorization === undefined || authorization === "") {
    return { code: "AuthFailure.SignatureFailure", message: "The request has no Authorization header." };
  }
  const auth = parseAuthorization(authorization);
  if (!auth) {
    return { code: "AuthFailure.SignatureFailure", message: "The Authorization header is not TC3-HMAC-SHA256." };
  }
  const timestampText = headerOf(req.headers, "x-tc-timestamp");
  if (timestampText === undefined || timestampText === "") {
    return { code: "MissingParameter", message: "The request is missing the X-TC-Timestamp header." };
  }
  if (!/^\d{1,12}$/.test(timestampText)) {
    return { code: "InvalidParameterValue", message: "X-TC-Timestamp must be Unix seconds." };
  }
  const secretKey = auth.secretId === keys.secretId ? keys.secretKey : keys.book.lookup(auth.secretId)?.secretKey;
  if (secretKey === undefined) {
    return { code: "AuthFailure.SecretIdNotFound", message: `The SecretId ${clip(auth.secretId, 64)} is not found.` };
  }
  const timestamp = Number(timestampText);
  if (Math.abs(timestamp * 1000 - atMs) > SIGNATURE_WINDOW_MS) {
    return {
      code: "AuthFailure.SignatureExpire",
      message: `Signature expired: timestamp ${timestamp} is more than 300 s from the server time ${Math.floor(atMs / 1000)} (${new Date(atMs).toISOString()}).`,
    };
  }
  return { auth, timestamp, secretKey };
}

/** Credential date, service and signed headers, then the signature recomputed with the secret key. */
function checkSignature(
  req: SimRequest,
  service: string,
  { auth, timestamp, secretKey }: { auth: ParsedAuthorization; timestamp: number; secretKey: string },
): ErrorAnswer | undefined {
  if (auth.date !== utcDate(timestamp)) {
    return {
      code: "AuthFailure.SignatureFailure",
      message: `The credential date ${auth.date} is not the UTC date of the timestamp (${utcDate(timestamp)}).`,
    };
  }
  const hostHeader = headerOf(req.headers, "host") ?? "";
  const host = hostName(hostHeader);
  // The official SDK signs the first label of its endpoint as the service: "127" for 127.0.0.1:PORT.
  const services = new Set([service, firstLabel(hostHeader), firstLabel(host)]);
  if (!services.has(auth.service)) {
    return {
      code: "AuthFailure.SignatureFailure",
      message: `The credential service ${clip(auth.service, 64)} is wrong.`,
    };
  }
  if (!auth.signedHeaders.includes("content-type") || !auth.signedHeaders.includes("host")) {
    return { code: "AuthFailure.SignatureFailure", message: "SignedHeaders must include content-type and host." };
  }
  const signed = new Map<string, string>();
  for (const name of auth.signedHeaders) signed.set(name, name === "host" ? host : (headerOf(req.headers, name) ?? ""));
  const { url } = req;
  const queryAt = url.indexOf("?");
  const { text } = canonicalRequest({
    method: req.method,
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    query: queryAt < 0 ? "" : url.slice(queryAt + 1),
    headers: signed,
    payloadHash: sha256Hex(req.body),
  });
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const expected = signatureOf(secretKey, auth.date, auth.service, stringToSign(timestamp, scope, text));
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    return { code: "AuthFailure.SignatureFailure", message: "The signature does not match the request." };
  }
  return undefined;
}

/** The X-TC-Token check: issued credentials carry their own (and expire), the long-term pair `expectToken`. */
function checkToken(req: SimRequest, keys: Tc3Keys, secretId: string, atMs: number): ErrorAnswer | undefined {
  const sent = headerOf(req.headers, "x-tc-token");
  const issued = secretId === keys.secretId ? undefined : keys.book.lookup(secretId);
  if (issued !== undefined) return keys.book.refusal(issued, sent, atMs);
  if (keys.expectToken === undefined || sent === keys.expectToken) return undefined;
  return {
    code: "AuthFailure.TokenFailure",
    message: sent === undefined || sent === "" ? "The request has no X-TC-Token." : "The X-TC-Token is not valid.",
  };
}

/**
 * Checks a TC3-HMAC-SHA256 request signed for `service` (DTS and STS alike): Authorization
 * (SignatureFailure), X-TC-Timestamp (MissingParameter/InvalidParameterValue), SecretId, the long-term
 * pair's or one issued (SecretIdNotFound), 300 s window (SignatureExpire), credential scope and
 * signature (SignatureFailure), then X-TC-Token (TokenFailure). Undefined: authenticated.
 */
export function verifyTc3(req: SimRequest, keys: Tc3Keys, service: string, atMs: number): ErrorAnswer | undefined {
  const envelope = checkEnvelope(req, keys, atMs);
  if ("code" in envelope) return envelope;
  return checkSignature(req, service, envelope) ?? checkToken(req, keys, envelope.auth.secretId, atMs);
}
