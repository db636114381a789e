import type { ChainSource, Found } from "./chain-source.js";
import { type Env, present } from "./credentials.js";
import { ConfigError } from "./errors.js";
import { readTextIfExists } from "./profiles.js";
import { assumeRoleWithWebIdentity, checkRoleArn, type StsOptions, type WebIdentityRequest } from "./sts.js";

/** The Action's exchange of its GitHub OIDC token (`id-token: write`). */
export interface WebIdentityOptions {
  readonly roleArn: string;
  readonly providerId: string;
  readonly sessionName: string;
  readonly durationSeconds?: number;
  /** A fresh OIDC token for audience sts.tencentcloudapi.com, asked again at each renewal. */
  readonly token: () => Promise<string>;
}

/** What this source reads of the chain's options (the chain's ResolveOptions has them all). */
export interface WebIdentityInputs {
  readonly env: Env;
  readonly readText?: (path: string) => Promise<string | undefined>;
  readonly now?: () => number;
  readonly webIdentity?: WebIdentityOptions;
}

const TKE_VARIABLES = ["TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN"] as const;

/** The TKE variables as the official SDKs read them; undefined when none is set. */
function tkeWebIdentity(options: WebIdentityInputs, now: () => number): WebIdentityOptions | undefined {
  const { env } = options;
  const set = TKE_VARIABLES.filter((name) => present(env[name]) !== undefined);
  if (set.length === 0) return undefined;
  const missing = TKE_VARIABLES.filter((name) => !set.includes(name));
  if (missing.length > 0) {
    throw new ConfigError(`the environment sets ${set.join(", ")} but not ${missing.join(", ")}: set all three`);
  }
  const tokenFile = present(env.TKE_WEB_IDENTITY_TOKEN_FILE) ?? "";
  const read = options.readText ?? readTextIfExists;
  return {
    roleArn: checkRoleArn(present(env.TKE_ROLE_ARN) ?? "", "TKE_ROLE_ARN"),
    providerId: present(env.TKE_PROVIDER_ID) ?? "",
    sessionName: `dts-gate-${Math.floor(now() / 1000)}`,
    // Read at every exchange: TKE rotates the projected token in place.
    token: async () => {
      const text = await read(tokenFile);
      if (text === undefined) {
        throw new ConfigError(
          `TKE_WEB_IDENTITY_TOKEN_FILE names ${tokenFile}, which does not exist: check the pod's service-account token projection`,
        );
      }
      return text;
    },
  };
}

async function tokenOf(identity: WebIdentityOptions, where: string): Promise<string> {
  let token: string;
  try {
    token = (await identity.token()).trim();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${where}: the OIDC token could not be obtained (${why})`);
  }
  if (token === "") throw new ConfigError(`${where}: the OIDC token is empty`);
  return token;
}

/**
 * Web identity: the adapter's OIDC token (the Action), else TKE's token file, exchanged with STS
 * AssumeRoleWithWebIdentity (unsigned); each renewal takes a fresh token.
 */
export function webIdentityFinder(options: WebIdentityInputs, sts: () => StsOptions): ChainSource {
  const now = options.now ?? Date.now;
  return {
    name: "web identity",
    async find(): Promise<Found | string> {
      const given = options.webIdentity;
      if (given) checkRoleArn(given.roleArn, "role-arn");
      const identity = given ?? tkeWebIdentity(options, now);
      if (!identity)
        return "no role-arn for OIDC, and TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set";
      const where = given ? "web identity (OIDC)" : "web identity (TKE_WEB_IDENTITY_TOKEN_FILE)";
      const stsOptions = sts();
      const tokens = new Set<string>();
      const renew = async () => {
        const webIdentityToken = await tokenOf(identity, where);
        tokens.add(webIdentityToken);
        const request: WebIdentityRequest = {
          roleArn: identity.roleArn,
          providerId: identity.providerId,
          sessionName: identity.sessionName,
          webIdentityToken,
          ...(identity.durationSeconds === undefined ? {} : { durationSeconds: identity.durationSeconds }),
        };
        return assumeRoleWithWebIdentity(stsOptions, request);
      };
      const description = `${where} for role ${identity.roleArn}`;
      return { description, credentials: await renew(), renew, secrets: () => [...tokens] };
    },
  };
}
