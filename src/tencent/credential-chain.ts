import { homedir } from "node:os";
import type { ChainSource, Found } from "./chain-source.js";
import {
  type CredentialSource,
  type Credentials,
  type Env,
  environmentCredentials,
  fixedSource,
  present,
} from "./credentials.js";
import { ConfigError } from "./errors.js";
import { instanceRoleCredentials, MetadataError, metadataEndpoint } from "./metadata.js";
import {
  chooseProfile,
  type ProfileChoice,
  type ProfileFiles,
  profileCredentials,
  profileRegion,
  readTextIfExists,
} from "./profiles.js";
import type { ProxyEnv } from "./proxy.js";
import { RenewingCredentials } from "./renewal.js";
import { assumeRole, checkRoleArn, type RoleRequest, type StsOptions, type StsSchedule, stsEndpoint } from "./sts.js";
import { type WebIdentityOptions, webIdentityFinder } from "./web-identity.js";

export type { WebIdentityOptions } from "./web-identity.js";

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly sessionName?: string;
  readonly durationSeconds?: number;
}

export interface ResolveOptions {
  readonly env: Env;
  readonly homeDir?: string;
  /** Reads a file as text, or `undefined` when it does not exist (tests). */
  readonly readText?: (path: string) => Promise<string | undefined>;
  /** Keys given to the adapter itself (the Action's `secret-id`/`secret-key` inputs): tried first. */
  readonly keys?: Credentials;
  /** `--profile NAME`; else TCCLI_PROFILE, else `default`. */
  readonly profile?: string;
  /** The Action's GitHub OIDC token exchange (`role-arn` without keys). */
  readonly webIdentity?: WebIdentityOptions;
  /** The Action's `role-arn` with keys; else `TENCENTCLOUD_ROLE_ARN`. */
  readonly assumeRole?: AssumeRoleOptions;
  /** Region sent to STS (the run's `--region`); else TKE_REGION, else the SDK's ap-guangzhou. */
  readonly region?: string;
  readonly proxyEnv?: ProxyEnv;
  readonly ca?: string;
  /** Wall clock, ms since the epoch; default Date.now. */
  readonly now?: () => number;
  /** Pause between STS retries, ended early by its signal; default a timer. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * The run's scope (its deadline, SIGINT/SIGTERM): ends every STS call (the first and each
   * renewal) and metadata request at once. Each is bounded by its own timeout too.
   */
  readonly signal?: AbortSignal;
  /** Bound of each metadata request (default one second). */
  readonly metadataTimeoutMs?: number;
  /** STS's own request budget; unthrottled when absent (tests). */
  readonly stsSchedule?: StsSchedule;
}

/** How one source of the chain fared. */
export interface SourceAttempt {
  readonly source: string;
  /** What answered ("used"), or why the source gave nothing. Never a value. */
  readonly result: string;
}

export interface ResolvedCredentials {
  /** The credentials of the first request (the provider's current ones at the time). */
  readonly credentials: Credentials;
  /** What the client asks before each request: renews temporary credentials. */
  readonly provider: CredentialSource;
  /** One line naming the source that answered, for stderr; never a value. */
  readonly source: string;
  readonly tried: readonly SourceAttempt[];
  readonly profile: ProfileChoice;
}

function sourceOf(found: Found, options: ResolveOptions): CredentialSource {
  const { renew } = found;
  const source =
    !renew || found.credentials.expiresAtMs === undefined
      ? fixedSource(found.credentials)
      : new RenewingCredentials(found.credentials, renew, {
          description: found.description,
          ...(options.now ? { now: options.now } : {}),
        });
  const more = found.secrets;
  return more ? { current: () => source.current(), secrets: () => [...more(), ...source.secrets()] } : source;
}

function stsOptions(options: ResolveOptions, region: string | undefined): StsOptions {
  return {
    endpoint: stsEndpoint(options.env),
    ...(region === undefined ? {} : { region }),
    ...(options.proxyEnv ? { proxyEnv: options.proxyEnv } : {}),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.stsSchedule ? { schedule: options.stsSchedule } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

function profileFiles(options: Pick<ResolveOptions, "env" | "homeDir" | "readText">): ProfileFiles {
  return { env: options.env, homeDir: options.homeDir ?? homedir(), readText: options.readText ?? readTextIfExists };
}

/**
 * The run's region: `--region` (given as `region`), else TENCENTCLOUD_REGION, else tccli's
 * `~/.tccli/NAME.configure` `_sys_param.region` for the profile; undefined when none says.
 */
export async function resolveRegion(
  options: Pick<ResolveOptions, "env" | "homeDir" | "readText" | "profile" | "region">,
): Promise<string | undefined> {
  const given = present(options.region) ?? present(options.env.TENCENTCLOUD_REGION);
  if (given !== undefined) return given;
  return profileRegion(profileFiles(options), chooseProfile(options.profile, options.env).name);
}

/** The profile's source: a profile named explicitly and found nowhere is a ConfigError. */
function profileSource(files: ProfileFiles, profile: ProfileChoice): ChainSource {
  return {
    name: `profile ${profile.name}`,
    async find() {
      const outcome = await profileCredentials(files, profile.name);
      if (outcome.found) return { description: `profile ${outcome.path}`, credentials: outcome.credentials };
      if (profile.explicit) {
        throw new ConfigError(
          `profile ${JSON.stringify(profile.name)} not found in ${outcome.looked.join(", ")}: add a [${profile.name}] section with secret_id and secret_key, or run tccli configure --profile ${profile.name}`,
        );
      }
      return `not in ${outcome.looked.join(", ")}`;
    },
  };
}

/**
 * The sources, first that answers wins: a profile named explicitly (`--profile`, else
 * TCCLI_PROFILE) alone, ahead of any key in the environment, as the AWS CLI does; otherwise given
 * keys, environment, web identity, the default profile, CVM role.
 */
export function chainSources(options: ResolveOptions, profile: ProfileChoice): ChainSource[] {
  const { env } = options;
  const files = profileFiles(options);
  if (profile.explicit) return [profileSource(files, profile)];
  const fixed = (description: string, credentials: Credentials | undefined, unset: string) =>
    credentials ? { description, credentials } : unset;
  const stsRegion = options.region ?? present(env.TKE_REGION);
  return [
    ...(options.keys
      ? [{ name: "given keys", find: async () => fixed("the given keys", options.keys, "not given") }]
      : []),
    {
      name: "environment",
      find: async () =>
        fixed("environment", environmentCredentials(env), "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY not set"),
    },
    webIdentityFinder(options, () => stsOptions(options, stsRegion)),
    profileSource(files, profile),
    {
      name: "CVM instance role",
      async find() {
        const metadata = {
          endpoint: metadataEndpoint(env),
          ...(options.metadataTimeoutMs === undefined ? {} : { timeoutMs: options.metadataTimeoutMs }),
          ...(options.signal ? { signal: options.signal } : {}),
        };
        try {
          const { role, credentials } = await instanceRoleCredentials(metadata);
          const renew = async () => (await instanceRoleCredentials(metadata)).credentials;
          return { description: `CVM instance role ${role}`, credentials, renew };
        } catch (error) {
          if (error instanceof MetadataError) return error.message;
          throw error;
        }
      },
    },
  ];
}

/** The role to chain into: the adapter's, else TENCENTCLOUD_ROLE_ARN; checked before any request. */
function chainedRole(options: ResolveOptions, now: () => number): RoleRequest | undefined {
  const given = options.assumeRole;
  const roleArn = given?.roleArn ?? present(options.env.TENCENTCLOUD_ROLE_ARN);
  if (roleArn === undefined) return undefined;
  checkRoleArn(roleArn, given ? "role-arn" : "TENCENTCLOUD_ROLE_ARN");
  const sessionName =
    given?.sessionName ?? present(options.env.TENCENTCLOUD_ROLE_SESSION_NAME) ?? `dts-gate-${Math.floor(now() / 1000)}`;
  return {
    roleArn,
    sessionName,
    ...(given?.durationSeconds === undefined ? {} : { durationSeconds: given.durationSeconds }),
  };
}

/** Chains into `role`: its temporary credentials come from AssumeRole signed with the base's current ones. */
async function assumeWith(found: Found, role: RoleRequest, options: ResolveOptions): Promise<Found> {
  const base = sourceOf(found, options);
  const sts = stsOptions(options, options.region);
  const renew = async () => assumeRole(sts, await base.current(), role);
  return {
    description: `role ${role.roleArn} assumed with ${found.description}`,
    credentials: await renew(),
    renew,
    secrets: () => base.secrets(),
  };
}

/**
 * Finds credentials as the Tencent tools do, first source that answers wins (see `chainSources`);
 * with a role to chain into, trades them for the role's through STS AssumeRole. A setting that is
 * wrong (half a pair, a bad role ARN, a missing token file or named profile) is a ConfigError at
 * once; no source at all is a ConfigError listing every source tried and why it gave nothing. An
 * STS refusal is a fatal ApiError saying what to fix.
 */
export async function resolveCredentials(options: ResolveOptions): Promise<ResolvedCredentials> {
  const now = options.now ?? Date.now;
  const profile = chooseProfile(options.profile, options.env);
  const role = chainedRole(options, now);
  const tried: SourceAttempt[] = [];
  for (const source of chainSources(options, profile)) {
    const outcome = await source.find();
    if (typeof outcome === "string") {
      tried.push({ source: source.name, result: outcome });
      continue;
    }
    tried.push({ source: source.name, result: "used" });
    const found = role ? await assumeWith(outcome, role, options) : outcome;
    const provider = sourceOf(found, options);
    return { credentials: await provider.current(), provider, source: found.description, tried, profile };
  }
  throw new ConfigError(
    `no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SESSION_TOKEN for temporary credentials), or write ~/.tencentcloud/credentials. Tried: ${tried.map((attempt) => `${attempt.source} (${attempt.result})`).join("; ")}`,
  );
}
