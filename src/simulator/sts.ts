import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import {
  canonicalRequest,
  parseAuthorization,
  sha256Hex,
  signatureOf,
  stringToSign,
  utcDate,
} from "../tencent/signing.js";
import { ROLE_ARN_PATTERN, STS_VERSION } from "../tencent/sts.js";

const SIGNATURE_WINDOW_MS = 300_000;
const DEFAULT_DURATION_SEC = 7_200;
const MAX_BODY_BYTES = 64 * 1024;

/** One request as the simulator sees it: the handlers are pure over this. */
export interface SimRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface SimAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface ErrorAnswer {
  readonly code: string;
  readonly message: string;
}

export interface TemporaryCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token: string;
  readonly expiresAtMs: number;
}

/**
 * Temporary credentials the simulator issued (STS, the metadata service), so that the DTS side
 * can accept them with their token until they expire, as the real service does.
 */
export class TemporaryCredentialBook {
  readonly #issued = new Map<string, TemporaryCredentials>();

  issue(ttlSec: number, nowMs: number): TemporaryCredentials {
    const issued: TemporaryCredentials = {
      secretId: `AKIDtmp${randomBytes(12).toString("hex")}`,
      secretKey: randomBytes(16).toString("hex"),
      token: randomBytes(24).toString("base64url"),
      expiresAtMs: nowMs + ttlSec * 1000,
    };
    this.#issued.set(issued.secretId, issued);
    return issued;
  }

  lookup(secretId: string): TemporaryCredentials | undefined {
    return this.#issued.get(secretId);
  }

  /** Why a request signed with issued credentials must be refused (bad or expired token); else undefined. */
  refusal(issued: TemporaryCredentials, token: string | undefined, nowMs: number): ErrorAnswer | undefined {
    const same = token !== undefined && token.length === issued.token.length;
    if (!same || !timingSafeEqual(Buffer.from(token), Buffer.from(issued.token))) {
      return {
        code: "AuthFailure.TokenFailure",
        message: "Token verification failed. Please check your Token is correct.",
      };
    }
    if (nowMs >= issued.expiresAtMs) {
      return {
        code: "AuthFailure.TokenFailure",
        message: `The token expired at ${new Date(issued.expiresAtMs).toISOString()}.`,
      };
    }
    return undefined;
  }
}

export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** The Host header's host name without the port: what the official SDK signs. */
function hostName(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

export interface Tc3Keys {
  /** The long-term pair the simulator accepts. */
  readonly secretId: string;
  readonly secretKey: string;
  readonly book: TemporaryCredentialBook;
}

/** Checks a TC3-HMAC-SHA256 request signed for `service` with the accepted pair or issued credentials. */
export function verifyTc3(request: SimRequest, keys: Tc3Keys, service: string, atMs: number): ErrorAnswer | undefined {
  const auth = parseAuthorization(headerOf(request.headers, "authorization") ?? "");
  if (!auth)
    return { code: "AuthFailure.SignatureFailure", message: "The Authorization header is not TC3-HMAC-SHA256." };
  const timestampText = headerOf(request.headers, "x-tc-timestamp") ?? "";
  if (!/^\d{1,12}$/.test(timestampText)) {
    return { code: "MissingParameter", message: "The request is missing X-TC-Timestamp (Unix seconds)." };
  }
  const issued = keys.book.lookup(auth.secretId);
  const secretKey = auth.secretId === keys.secretId ? keys.secretKey : issued?.secretKey;
  if (secretKey === undefined) {
    return {
      code: "AuthFailure.SecretIdNotFound",
      message: `The SecretId ${auth.secretId.slice(0, 64)} is not found.`,
    };
  }
  const timestamp = Number(timestampText);
  if (Math.abs(timestamp * 1000 - atMs) > SIGNATURE_WINDOW_MS) {
    return { code: "AuthFailure.SignatureExpire", message: "The timestamp is more than 300 s from the server time." };
  }
  const host = hostName(headerOf(request.headers, "host") ?? "");
  // The official SDK signs its endpoint's first label as the service ("127" for 127.0.0.1:PORT).
  const services = new Set([service, host.split(".")[0]]);
  if (!services.has(auth.service) || auth.date !== utcDate(timestamp)) {
    return {
      code: "AuthFailure.SignatureFailure",
      message: `The credential scope must be DATE/${service}/tc3_request.`,
    };
  }
  const signed = new Map<string, string>();
  for (const name of auth.signedHeaders) {
    signed.set(name, name === "host" ? host : (headerOf(request.headers, name) ?? ""));
  }
  const queryAt = request.url.indexOf("?");
  const { text } = canonicalRequest({
    method: request.method,
    path: queryAt < 0 ? request.url : request.url.slice(0, queryAt),
    query: queryAt < 0 ? "" : request.url.slice(queryAt + 1),
    headers: signed,
    payloadHash: sha256Hex(request.body),
  });
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const expected = signatureOf(secretKey, auth.date, auth.service, stringToSign(timestamp, scope, text));
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    return { code: "AuthFailure.SignatureFailure", message: "The signature does not match the request." };
  }
  return issued ? keys.book.refusal(issued, headerOf(request.headers, "x-tc-token"), atMs) : undefined;
}

export interface StsSimulatorOptions extends Tc3Keys {
  /** Web identity tokens AssumeRoleWithWebIdentity accepts (`--oidc-token`). */
  readonly oidcTokens: readonly string[];
  /** Lifetime of the credentials issued (`--credential-ttl`); else the request's DurationSeconds, else 7200. */
  readonly credentialTtlSec?: number;
}

function json(status: number, response: Record<string, unknown>): SimAnswer {
  return { status, contentType: "application/json", body: JSON.stringify({ Response: response }) };
}

function refuse(error: ErrorAnswer): SimAnswer {
  return json(200, { Error: { Code: error.code, Message: error.message }, RequestId: randomUUID() });
}

function parseParams(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function checkRoleParams(params: Record<string, unknown>, names: readonly string[]): ErrorAnswer | undefined {
  for (const name of names) {
    if (typeof params[name] !== "string" || params[name] === "") {
      return { code: "MissingParameter", message: `The request is missing the parameter ${name}.` };
    }
  }
  if (!ROLE_ARN_PATTERN.test(String(params.RoleArn))) {
    return {
      code: "InvalidParameter.ParamError",
      message: "RoleArn is not of the form qcs::cam::uin/UIN:roleName/NAME.",
    };
  }
  const duration = params.DurationSeconds;
  if (duration !== undefined && !(Number.isInteger(duration) && Number(duration) > 0 && Number(duration) <= 43_200)) {
    return { code: "InvalidParameter.ParamError", message: "DurationSeconds must be an integer from 1 to 43200." };
  }
  return undefined;
}

/**
 * STS (API 2018-08-13) as the simulator serves it: `AssumeRole` (TC3, service `sts`, with the
 * accepted pair or credentials it issued) and `AssumeRoleWithWebIdentity` (unsigned; the token
 * must be one of `oidcTokens`). Issued credentials go into the book.
 */
export function createStsHandler(options: StsSimulatorOptions) {
  const accepted = new Set(options.oidcTokens);

  function issue(params: Record<string, unknown>, atMs: number): SimAnswer {
    const duration = typeof params.DurationSeconds === "number" ? params.DurationSeconds : DEFAULT_DURATION_SEC;
    const issued = options.book.issue(options.credentialTtlSec ?? duration, atMs);
    const expiredTime = Math.floor(issued.expiresAtMs / 1000);
    return json(200, {
      Credentials: { Token: issued.token, TmpSecretId: issued.secretId, TmpSecretKey: issued.secretKey },
      ExpiredTime: expiredTime,
      Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      RequestId: randomUUID(),
    });
  }

  /** The answer to one STS request at simulator time `atMs`. */
  function answer(request: SimRequest, atMs: number): SimAnswer {
    if (request.method !== "POST") return { status: 405, contentType: "text/plain", body: "POST only\n" };
    const action = headerOf(request.headers, "x-tc-action") ?? "";
    if (headerOf(request.headers, "x-tc-version") !== STS_VERSION) {
      return refuse({ code: "InvalidParameterValue", message: `X-TC-Version must be ${STS_VERSION}.` });
    }
    const params = parseParams(request.body);
    if (!params) return refuse({ code: "InvalidParameter", message: "The body is not a JSON object." });
    if (action === "AssumeRoleWithWebIdentity") {
      const wrong = checkRoleParams(params, ["ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName"]);
      if (wrong) return refuse(wrong);
      if (!accepted.has(String(params.WebIdentityToken))) {
        return refuse({
          code: "InvalidParameter.WebIdentityTokenError",
          message: "The web identity token is invalid.",
        });
      }
      return issue(params, atMs);
    }
    if (action === "AssumeRole") {
      const unauthenticated = verifyTc3(request, options, "sts", atMs);
      if (unauthenticated) return refuse(unauthenticated);
      const wrong = checkRoleParams(params, ["RoleArn", "RoleSessionName"]);
      return wrong ? refuse(wrong) : issue(params, atMs);
    }
    return refuse({ code: "InvalidAction", message: `The action ${action.slice(0, 64)} is not an STS action here.` });
  }

  return { answer };
}

/** Reads the body (at most 64 KiB), answers with `answer`, writes it: for mounting on node:http. */
export async function serveWith(
  answer: (request: SimRequest, atMs: number) => SimAnswer,
  req: IncomingMessage,
  res: ServerResponse,
  atMs: () => number,
): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(chunk);
  }
  const request = {
    method: req.method ?? "GET",
    url: req.url ?? "/",
    headers: req.headers,
    body: Buffer.concat(chunks),
  };
  const { status, contentType, body } = answer(request, atMs());
  res.writeHead(status, { "content-type": contentType, date: new Date(atMs()).toUTCString() }).end(body);
}
