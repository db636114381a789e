import { randomUUID } from "node:crypto";
import { ROLE_ARN_PATTERN, STS_VERSION } from "../tencent/sts.js";
import { type Tc3Keys, verifyTc3 } from "./auth.js";
import { envelope } from "./http.js";
import {
  type ErrorAnswer,
  headerOf,
  isParams,
  type Params,
  parseBody,
  type SimAnswer,
  type SimRequest,
} from "./request.js";

const DEFAULT_DURATION_SEC = 7_200;

/** The actions served, routed here by X-TC-Action. */
export const STS_ACTIONS: ReadonlySet<string> = new Set(["AssumeRole", "AssumeRoleWithWebIdentity"]);

export interface StsSimulatorOptions extends Tc3Keys {
  /** Web identity tokens AssumeRoleWithWebIdentity accepts (`--oidc-token`). */
  readonly oidcTokens: readonly string[];
  /** Lifetime of the credentials issued (`--credential-ttl`); else the request's DurationSeconds, else 7200. */
  readonly credentialTtlSec?: number | undefined;
}

function json(status: number, response: Record<string, unknown>): SimAnswer {
  return { status, contentType: "application/json", body: JSON.stringify({ Response: response }) };
}

function refuse(error: ErrorAnswer): SimAnswer {
  return { status: 200, contentType: "application/json", body: envelope(error) };
}

function checkRoleParams(params: Params, names: readonly string[]): ErrorAnswer | undefined {
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

  function issue(params: Params, atMs: number): SimAnswer {
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
    const params = parseBody(request.body);
    if (!isParams(params)) return refuse({ code: "InvalidParameter", message: "The body is not a JSON object." });
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
