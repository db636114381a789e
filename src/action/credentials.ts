import { parseDuration } from "../app/duration.js";
import type { AssumeRoleOptions, ResolveOptions } from "../tencent/credential-chain.js";
import { Credentials, present, TOKEN_VARIABLES } from "../tencent/credentials.js";
import { ConfigError } from "../tencent/errors.js";
import { checkRoleArn, toSessionName } from "../tencent/sts.js";

/** Reads one input as @actions/core does (trimmed; "" when not given). */
export type GetInput = (name: string) => string;
export type Env = Readonly<Record<string, string | undefined>>;

/** The Action's OIDC exchange, but for the token itself (asked of GitHub when it is needed). */
export interface OidcRequest {
  readonly roleArn: string;
  readonly providerId: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly audience: string;
}

/**
 * What the inputs say of credentials, for the provider chain (src/tencent/credential-chain.ts):
 * keys given as inputs are tried first; `role-arn` with keys (inputs or TENCENTCLOUD_*) chains
 * through AssumeRole; `role-arn` without keys is keyless, GitHub's OIDC token exchanged with STS.
 */
export interface CredentialRequest {
  readonly keys?: Credentials;
  readonly assumeRole?: AssumeRoleOptions;
  readonly oidc?: OidcRequest;
}

export const DEFAULT_AUDIENCE = "sts.tencentcloudapi.com";
const DEFAULT_ROLE_DURATION_SECONDS = 3600;

/** The variables a credential input falls back to (the session token: in this order). */
export const CREDENTIAL_FALLBACKS = {
  "secret-id": ["TENCENTCLOUD_SECRET_ID"],
  "secret-key": ["TENCENTCLOUD_SECRET_KEY"],
  "session-token": TOKEN_VARIABLES,
} as const;

/**
 * Keys given as inputs, each input falling back to its TENCENTCLOUD_* variable.
 * No key input at all: undefined, and the chain's environment source reads the variables itself.
 */
function keysFrom(getInput: GetInput, env: Env): Credentials | undefined {
  const names = Object.keys(CREDENTIAL_FALLBACKS) as (keyof typeof CREDENTIAL_FALLBACKS)[];
  if (!names.some((name) => present(getInput(name)) !== undefined)) return undefined;
  const value = (name: keyof typeof CREDENTIAL_FALLBACKS) =>
    present(getInput(name)) ?? CREDENTIAL_FALLBACKS[name].map((variable) => present(env[variable])).find(Boolean);
  const secretId = value("secret-id");
  const secretKey = value("secret-key");
  if (secretId === undefined && secretKey === undefined) {
    throw new ConfigError("input session-token is set but no keys are: set secret-id and secret-key too");
  }
  if (secretId === undefined) throw new ConfigError("secret-key is set but secret-id is not: set both");
  if (secretKey === undefined) throw new ConfigError("secret-id is set but secret-key is not: set both");
  return new Credentials(secretId, secretKey, value("session-token"));
}

/** `dts-gate-<repository>-<run id>`, every character STS refuses turned into `-`, at most 64. */
export function defaultSessionName(env: Env): string {
  return toSessionName(`dts-gate-${env.GITHUB_REPOSITORY ?? "local"}-${env.GITHUB_RUN_ID ?? Date.now()}`);
}

/** Reads the credential inputs; pure, throws ConfigError naming the input. */
export function readCredentialInputs(getInput: GetInput, env: Env): CredentialRequest {
  const keys = keysFrom(getInput, env);
  const roleInput = present(getInput("role-arn"));
  if (roleInput === undefined) return keys ? { keys } : {};
  const roleArn = checkRoleArn(roleInput, "input role-arn");
  const sessionName = toSessionName(present(getInput("role-session-name")) ?? defaultSessionName(env));
  const durationMs = parseDuration(
    "input role-duration",
    present(getInput("role-duration")) ?? String(DEFAULT_ROLE_DURATION_SECONDS),
    { allowZero: false },
  );
  const durationSeconds = Math.round(durationMs / 1000);
  const envKeys =
    present(env.TENCENTCLOUD_SECRET_ID) !== undefined && present(env.TENCENTCLOUD_SECRET_KEY) !== undefined;
  if (keys || envKeys) return { ...(keys ? { keys } : {}), assumeRole: { roleArn, sessionName, durationSeconds } };
  const providerId = present(getInput("oidc-provider-id"));
  if (providerId === undefined) {
    throw new ConfigError(
      "input role-arn without keys is keyless: set input oidc-provider-id to the CAM OIDC identity provider's name too",
    );
  }
  const audience = present(getInput("audience")) ?? DEFAULT_AUDIENCE;
  return { oidc: { roleArn, providerId, sessionName, durationSeconds, audience } };
}

/** GitHub's OIDC token for an audience (`@actions/core`'s getIDToken). */
export type GetIdToken = (audience: string) => Promise<string>;

/**
 * GitHub's token, or a ConfigError that says what the workflow lacks: the runner hands a job the
 * token's endpoint only when the workflow grants `permissions: id-token: write`.
 */
function oidcToken(env: Env, getIdToken: GetIdToken, audience: string): () => Promise<string> {
  return async () => {
    if (!present(env.ACTIONS_ID_TOKEN_REQUEST_URL) || !present(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)) {
      throw new ConfigError(
        "input role-arn without keys asks GitHub for an OIDC token, and this job may not: give the workflow (or the job) `permissions: id-token: write`",
      );
    }
    return getIdToken(audience);
  };
}

/** The chain's options for what the inputs asked (the keyless token fetched only when it is needed). */
export function chainOptions(request: CredentialRequest, env: Env, getIdToken: GetIdToken): ResolveOptions {
  const { keys, assumeRole, oidc } = request;
  return {
    env,
    proxyEnv: env,
    ...(keys ? { keys } : {}),
    ...(assumeRole ? { assumeRole } : {}),
    ...(oidc
      ? {
          webIdentity: {
            roleArn: oidc.roleArn,
            providerId: oidc.providerId,
            sessionName: oidc.sessionName,
            durationSeconds: oidc.durationSeconds,
            token: oidcToken(env, getIdToken, oidc.audience),
          },
        }
      : {}),
  };
}
