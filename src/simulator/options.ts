import { jobKindOf } from "./actions.js";
import type { TemporaryCredentialBook } from "./credential-book.js";
import type { FaultRule } from "./faults.js";
import type { SimRequest } from "./request.js";
import { isScenarioName, type ScenarioName } from "./scenarios.js";

/** What the `answer` option is told about a request whose signature (and token) checked out. */
export interface AnswerRequest {
  /** X-TC-Action as sent (clipped to 128 characters). */
  action: string;
  /** JobId of the body when it had a string one (clipped to 128 characters). */
  jobId: string | undefined;
  /** How many requests of this action and job reached `answer` before this one (0 for the first). */
  n: number;
}

/** An answer sent verbatim: `status` (default 200), `headers` over the defaults (Date, Content-Type JSON, Content-Length). */
export interface RawAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

/** The services served beside DTS (keyless.ts), so that every credential source can be rehearsed offline. */
export type KeylessService = "sts" | "metadata";

export interface SimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Scenario of every job id not named in `jobs`; default "warning". */
  scenario?: ScenarioName;
  /**
   * When non-empty, only these job ids exist (others are ResourceNotFound). A list: check #1 follows
   * the first scenario, each CreateMigrateCheckJob moves to the next (the last repeats).
   */
  jobs?: Record<string, ScenarioName | readonly ScenarioName[]>;
  /**
   * How long each of the 13 check steps takes, and each of a consistency check's 3 steps; default
   * 300. With `seed`, the average: the steps' shares are drawn unevenly.
   */
  stepMs?: number;
  /**
   * How long a migration takes from StartMigrateJob to readyComplete (to success without an
   * incremental phase), and a sync job from StartSyncJob to its incremental step at zero lag;
   * `completing` then lasts a fifth of it. Default 5000.
   */
  migrateMs?: number;
  /**
   * Uneven step durations, reproducibly: each job's check steps, migration steps and consistency
   * check steps take shares drawn from a PRNG seeded with this and the id (the longest five times
   * the shortest). Absent: every step of a kind takes the same time.
   */
  seed?: number;
  /**
   * After CreateMigrateCheckJob, DescribeMigrationCheckJob keeps showing the previous check's result
   * this long (as the real service lags), then the new check runs from step 0. Default: stepMs.
   */
  createLagMs?: number;
  /** The only credentials accepted; default the demo pair. */
  secretId?: string;
  secretKey?: string;
  /** When set, X-TC-Token must be exactly this (else AuthFailure.TokenFailure); when absent, any or none. */
  expectToken?: string;
  /**
   * When set, X-TC-Region must be exactly this: missing is MissingParameter, another UnsupportedRegion.
   * When absent, any or none.
   */
  expectRegion?: string;
  /** Per-action requests per arrival second before RequestLimitExceeded; default 20. */
  rate?: number;
  /** The simulator's clock runs this far ahead (negative: behind). */
  clockOffsetSec?: number;
  faults?: readonly FaultRule[];
  /**
   * Consulted for every request that passed authentication (signature and token), before parameters,
   * jobs and faults. An answer is sent verbatim and the job state is left alone; undefined lets the
   * request go on as usual. A successful StartMigrateJob answer (HTTP 200, a JSON `Response` without
   * `Error`) counts in `startCount`. For property-based tests of clients over real HTTP.
   */
  answer?: (request: AnswerRequest) => RawAnswer | undefined;
  /** Wall clock in ms, injectable for tests; default Date.now. */
  now?: () => number;
  /** Arrivals kept in memory, oldest dropped; default 100_000. */
  logLimit?: number;
  /** Web identity tokens STS AssumeRoleWithWebIdentity accepts (`--oidc-token`); default none. */
  oidcTokens?: readonly string[];
  /** The CAM role the metadata routes answer credentials for (`--cvm-role`); absent: they answer 404. */
  cvmRole?: string;
  /**
   * Lifetime in seconds of the temporary credentials STS and the metadata routes issue
   * (`--credential-ttl`). Absent: STS honours the request's DurationSeconds (else 7200, as the real
   * one), the metadata routes issue 7200 s ones. DTS and STS refuse them once expired (TokenFailure).
   */
  credentialTtlSec?: number;
  /** Each arrival also keeps the request (headers, body): for tests comparing what clients send. */
  keepRequests?: boolean;
}

export interface Arrival {
  /** Simulator clock (now() + clockOffsetSec) when the request's headers arrived. */
  atMs: number;
  /** X-TC-Action as sent ("" when absent). */
  action: string;
  /** JobId of the body, when it had a string one. */
  jobId?: string;
  /**
   * Error code answered, or the fault kind (injected faults; "http502" for flaky's 502); absent on
   * success. For an `answer` override: its envelope's Error.Code, else `http<STATUS>` when not 200.
   */
  code?: string;
  /** True when the `answer` option answered it. */
  override?: true;
  /** The service beside DTS it was for; absent for DTS. */
  service?: KeylessService;
  /** The path of a metadata request (clipped). */
  path?: string;
  /** The request itself, its body read, with `keepRequests`. */
  request?: SimRequest;
}

export interface Simulator {
  /** http://HOST:PORT */
  readonly url: string;
  /** Every request in arrival order (at most logLimit, oldest dropped). */
  readonly arrivals: readonly Arrival[];
  injectFault(rule: FaultRule): void;
  /** Jumps the job's current check to its final state now (a stuck check to where it sticks). */
  finishCheck(jobId: string): void;
  /** StartMigrateJob (StartSyncJob) calls accepted for this job (successful `answer` overrides included). */
  startCount(jobId: string): number;
  /** CompleteMigrateJob calls accepted for this job. */
  completeCount(jobId: string): number;
  /** The temporary credentials STS and the metadata routes issued. */
  readonly credentialBook: TemporaryCredentialBook;
  /** Closes every socket, stalled and dripping ones included; never hangs. */
  close(): Promise<void>;
}

/** A CAM role name, as `cvmRole` takes it. */
export const CAM_ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,128}$/;

export function validateOptions(options: SimulatorOptions): void {
  const nonNegative = (name: string, value: number | undefined, allowInfinity = false) => {
    if (value === undefined) return;
    if (!(typeof value === "number" && value >= 0 && (allowInfinity || Number.isFinite(value)))) {
      throw new Error(`simulator option ${name} must be a non-negative number, got ${String(value)}`);
    }
  };
  nonNegative("stepMs", options.stepMs);
  nonNegative("migrateMs", options.migrateMs);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new Error(`simulator option seed must be a whole number, got ${String(options.seed)}`);
  }
  nonNegative("createLagMs", options.createLagMs);
  nonNegative("rate", options.rate, true);
  nonNegative("logLimit", options.logLimit);
  if (options.clockOffsetSec !== undefined && !Number.isFinite(options.clockOffsetSec)) {
    throw new Error(`simulator option clockOffsetSec must be a finite number, got ${String(options.clockOffsetSec)}`);
  }
  if (options.scenario !== undefined && !isScenarioName(options.scenario)) {
    throw new Error(`unknown scenario "${String(options.scenario)}"`);
  }
  for (const [jobId, value] of Object.entries(options.jobs ?? {})) {
    if (jobKindOf(jobId) === undefined) {
      throw new Error(`"${jobId}" is not a DTS job id (like dts-1ewjspuw or sync-1ewjspuw)`);
    }
    const list: readonly string[] = typeof value === "string" ? [value] : value;
    if (list.length === 0) throw new Error(`job ${jobId}: empty scenario list`);
    for (const name of list) if (!isScenarioName(name)) throw new Error(`job ${jobId}: unknown scenario "${name}"`);
  }
  if (options.secretId === "" || options.secretKey === "") throw new Error("simulator credentials must not be empty");
  if (options.expectToken === "" || options.expectRegion === "") {
    throw new Error("simulator options expectToken and expectRegion must not be empty (leave them out instead)");
  }
  validateKeylessOptions(options);
}

function validateKeylessOptions({ oidcTokens, cvmRole, credentialTtlSec }: SimulatorOptions): void {
  if (oidcTokens?.some((token) => typeof token !== "string" || token === "")) {
    throw new Error("simulator option oidcTokens: every token must be a non-empty string");
  }
  if (cvmRole !== undefined && !CAM_ROLE_NAME_PATTERN.test(cvmRole)) {
    throw new Error(
      `simulator option cvmRole must be a CAM role name ([A-Za-z0-9_+=,.@-]), got ${JSON.stringify(cvmRole)}`,
    );
  }
  if (credentialTtlSec !== undefined && !(Number.isInteger(credentialTtlSec) && credentialTtlSec > 0)) {
    throw new Error(
      `simulator option credentialTtlSec must be a positive whole number, got ${String(credentialTtlSec)}`,
    );
  }
}
