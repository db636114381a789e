import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import {
  canonicalRequest,
  type ParsedAuthorization,
  parseAuthorization,
  sha256Hex,
  signatureOf,
  stringToSign,
  utcDate,
} from "../tencent/signing.js";
import { DTS_SERVICE } from "../tencent/types.js";
import { clip, type ErrorAnswer, header } from "./request.js";

const SIGNATURE_WINDOW_MS = 300_000;

export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** When set, the X-TC-Token every request must carry. */
  readonly expectToken: string | undefined;
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
  req: IncomingMessage,
  secretId: string,
  atMs: number,
): ErrorAnswer | { auth: ParsedAuthorization; timestamp: number } {
  const authorization = header(req, "authorization");
  if (authorization === undefined || authorization === "") {
    return { code: "AuthFailure.SignatureFailure", message: "The request has no Authorization header." };
  }
  const auth = parseAuthorization(authorization);
  if (!auth) {
    return { code: "AuthFailure.SignatureFailure", message: "The Authorization header is not TC3-HMAC-SHA256." };
  }
  const timestampText = header(req, "x-tc-timestamp");
  if (timestampText === undefined || timestampText === "") {
    return { code: "MissingParameter", message: "The request is missing the X-TC-Timestamp header." };
  }
  if (!/^\d{1,12}$/.test(timestampText)) {
    return { code: "InvalidParameterValue", message: "X-TC-Timestamp must be Unix seconds." };
  }
  if (auth.secretId !== secretId) {
    return { code: "AuthFailure.SecretIdNotFound", message: `The SecretId ${clip(auth.secretId, 64)} is not found.` };
  }
  const timestamp = Number(timestampText);
  if (Math.abs(timestamp * 1000 - atMs) > SIGNATURE_WINDOW_MS) {
    return {
      code: "AuthFailure.SignatureExpire",
      message: `Signature expired: timestamp ${timestamp} is more than 300 s from the server time ${Math.floor(atMs / 1000)} (${new Date(atMs).toISOString()}).`,
    };
  }
  return { auth, timestamp };
}

/** Credential date, service and signed headers, then the signature recomputed with the secret key. */
function checkSignature(
  req: IncomingMessage,
  body: Buffer,
  secretKey: string,
  { auth, timestamp }: { auth: ParsedAuthorization; timestamp: number },
): ErrorAnswer | undefined {
  if (auth.date !== utcDate(timestamp)) {
    return {
      code: "AuthFailure.SignatureFailure",
      message: `The credential date ${auth.date} is not the UTC date of the timestamp (${utcDate(timestamp)}).`,
    };
  }
  const hostHeader = header(req, "host") ?? "";
  const host = hostName(hostHeader);
  // The official SDK signs the first label of its endpoint as the service: "127" for 127.0.0.1:PORT.
  const services = new Set([DTS_SERVICE, firstLabel(hostHeader), firstLabel(host)]);
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
  for (const name of auth.signedHeaders) signed.set(name, name === "host" ? host : (header(req, name) ?? ""));
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const { text } = canonicalRequest({
    method: req.method ?? "POST",
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    query: queryAt < 0 ? "" : url.slice(queryAt + 1),
    headers: signed,
    payloadHash: sha256Hex(body),
  });
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const expected = signatureOf(secretKey, auth.date, auth.service, stringToSign(timestamp, scope, text));
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    return { code: "AuthFailure.SignatureFailure", message: "The signature does not match the request." };
  }
  return undefined;
}

/**
 * The auth stage: Authorization (SignatureFailure), X-TC-Timestamp (MissingParameter/InvalidParameterValue),
 * SecretId (SecretIdNotFound), 300 s window (SignatureExpire), credential scope and signature
 * (SignatureFailure), then X-TC-Token when one is expected (TokenFailure). Undefined: authenticated.
 */
export function authenticate(
  req: IncomingMessage,
  body: Buffer,
  atMs: number,
  credentials: Credentials,
): ErrorAnswer | undefined {
  const envelope = checkEnvelope(req, credentials.secretId, atMs);
  if ("code" in envelope) return envelope;
  const signatureError = checkSignature(req, body, credentials.secretKey, envelope);
  if (signatureError) return signatureError;
  if (credentials.expectToken !== undefined && header(req, "x-tc-token") !== credentials.expectToken) {
    const sent = header(req, "x-tc-token");
    return {
      code: "AuthFailure.TokenFailure",
      message: sent === undefined || sent === "" ? "The request has no X-TC-Token." : "The X-TC-Token is not valid.",
    };
  }
  return undefined;
}
