import type { Argv } from "yargs";
import { DEFAULTS } from "../app/defaults.js";
import { parseDuration } from "../app/duration.js";
import {
  checkOptionsApply,
  parseEndpoint,
  parseJobIds,
  parseMaxInterval,
  parseMigrationOptions,
  parseRate,
  parseRedisUrl,
} from "../app/options.js";
import { DEFAULT_ENDPOINT } from "../tencent/endpoints.js";
import { ConfigError } from "../tencent/errors.js";
import type { WaitConfig } from "./wait.js";

/**
 * `wait`'s options. Every one with a value is a string to yargs, read here: so that an error
 * quotes it as typed, and yargs never turns `5m` into NaN or `0x10` into 16.
 */
export function waitOptions<T>(parser: Argv<T>) {
  const value = { type: "string", requiresArg: true } as const;
  return reportOptions(parser, DEFAULTS.intervalSeconds)
    .option("endpoint", { ...value, default: DEFAULT_ENDPOINT, describe: "API endpoint (http:// only on loopback)" })
    .option("region", {
      ...value,
      describe: "sent as X-TC-Region [default: $TENCENTCLOUD_REGION, else the tccli profile's region]",
    })
    .option("profile", {
      ...value,
      describe: "profile of ~/.tencentcloud/credentials and ~/.tccli [default: $TCCLI_PROFILE, else default]",
    })
    .option("timeout", {
      ...value,
      default: String(DEFAULTS.timeoutSeconds),
      describe: "give up after this long (seconds, or 30m, 1h30m); 0: one look",
    })
    .option("max-interval", {
      ...value,
      describe:
        "longest time between two polls of a job; between it and --interval, polls go where the answer is likely to change [default: 6 × --interval; equal to it: fixed polling]",
    })
    .option("rate", { ...value, default: String(DEFAULTS.rate), describe: "most requests per second of this process" })
    .option("fail-fast", {
      type: "boolean",
      default: true,
      describe: "once the gate cannot open, stop polling the other jobs (--no-fail-fast: wait for all)",
    })
    .option("create-check", {
      type: "boolean",
      default: false,
      describe: "run CreateMigrateCheckJob first, then wait for that check",
    })
    .option("start", { type: "boolean", default: false, describe: "StartMigrateJob for every job once all passed" })
    .option("until", {
      ...value,
      describe: "how far to take every job: check, ready (to cut over) or done (success) [default: check]",
    })
    .option("max-lag", { ...value, describe: "ready needs a lag of at most this long (seconds, or 30s) [default: 0]" })
    .option("max-gap", { ...value, describe: "ready needs a gap of at most this many MB [default: 0]" })
    .option("settle", {
      ...value,
      describe: "ready needs every answer to show it for this long (seconds, or 2m) [default: 60]",
    })
    .option("complete", {
      type: "boolean",
      default: false,
      describe: "CompleteMigrateJob once every job is ready, then wait until done (implies --until done)",
    })
    .option("compare", {
      type: "boolean",
      default: false,
      describe:
        "a consistency check of every job once all are ready; open only on the same data (implies --until ready)",
    })
    .option("redis-url", { ...value, describe: "share the --rate budget through this Redis" })
    .option("request-timeout", {
      ...value,
      default: String(DEFAULTS.requestTimeoutSeconds),
      describe: "how long one request may take (seconds, or 500ms, 1m)",
    })
    .coerce(VALUE_OPTIONS, lastValue);
}

/** The options of how a run is polled and reported, which `demo` takes too. */
export function reportOptions<T>(parser: Argv<T>, intervalSeconds: number) {
  const value = { type: "string", requiresArg: true } as const;
  return parser
    .option("interval", {
      ...value,
      default: String(intervalSeconds),
      describe: "time between two polls of a job: seconds (2.5) or with units (500ms, 1m)",
    })
    .option("output", { ...value, default: "text", describe: "text, or json: one document on stdout" })
    .option("fail-on-warning", {
      type: "boolean",
      default: false,
      describe: "a check that passes with warnings closes the gate",
    })
    .option("junit", { ...value, describe: "also write a JUnit XML report to this file (GitLab, Jenkins, …)" })
    .option("verbose", {
      type: "boolean",
      default: false,
      describe: "every request and response on stderr (secrets redacted)",
    })
    .option("quiet", {
      type: "boolean",
      default: false,
      describe: "print only the verdict line and the failures",
    })
    .coerce(["interval", "output", "junit"], lastValue);
}

const VALUE_OPTIONS = [
  "endpoint",
  "region",
  "interval",
  "max-interval",
  "timeout",
  "rate",
  "output",
  "redis-url",
  "request-timeout",
  "junit",
  "profile",
  "until",
  "max-lag",
  "max-gap",
  "settle",
];
type ValueOption = (typeof VALUE_OPTIONS)[number];

/** A repeated option with a value means "the last one wins", as in most tools, not an array. */
export function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value.at(-1) : value;
}

export type WaitArgs = Readonly<Record<string, unknown>> & {
  readonly jobIds?: readonly unknown[];
  readonly "--"?: readonly unknown[];
};

/** The option's value as typed; `--no-NAME` (yargs' false) and an empty value are errors. */
function optionValue(args: WaitArgs, name: ValueOption): string | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ConfigError(`--no-${name} is not an option: --${name} takes a value`);
  if (value === "") throw new ConfigError(`--${name} needs a value, not ""`);
  return value;
}

function required(args: WaitArgs, name: ValueOption): string {
  const value = optionValue(args, name);
  if (value === undefined) throw new ConfigError(`--${name} needs a value`);
  return value;
}

function parseOutput(value: string): "text" | "json" {
  if (value === "text" || value === "json") return value;
  throw new ConfigError(`--output must be text or json, not ${JSON.stringify(value)}`);
}

function flag(args: WaitArgs, name: string): boolean {
  return args[name] === true;
}

/** The options of `reportOptions`, checked. */
export function toReportConfig(args: WaitArgs) {
  const junitPath = optionValue(args, "junit");
  return {
    intervalMs: parseDuration("--interval", required(args, "interval"), { allowZero: false }),
    output: parseOutput(required(args, "output")),
    failOnWarning: flag(args, "fail-on-warning"),
    verbose: flag(args, "verbose"),
    quiet: flag(args, "quiet"),
    ...(junitPath === undefined ? {} : { junitPath }),
  };
}

/** Checks every option before any request; throws ConfigError with what is wrong. */
export function toWaitConfig(args: WaitArgs, env: Readonly<Record<string, string | undefined>>): WaitConfig {
  const redisText = optionValue(args, "redis-url");
  const redisUrl = redisText === undefined ? undefined : parseRedisUrl("--redis-url", redisText);
  const region = (optionValue(args, "region") ?? env.TENCENTCLOUD_REGION)?.trim();
  const profile = optionValue(args, "profile");
  // Every word after `--` is a job id, whatever it looks like.
  const words = [...(args.jobIds ?? []), ...(args["--"] ?? [])].map(String);
  const jobIds = parseJobIds(words);
  const phases = {
    until: { label: "--until", value: optionValue(args, "until") },
    maxLag: { label: "--max-lag", value: optionValue(args, "max-lag") },
    maxGap: { label: "--max-gap", value: optionValue(args, "max-gap") },
    settle: { label: "--settle", value: optionValue(args, "settle") },
    complete: { label: "--complete", value: flag(args, "complete") },
    compare: { label: "--compare", value: flag(args, "compare") },
  };
  const migration = parseMigrationOptions(phases);
  checkOptionsApply(jobIds, {
    ...phases,
    createCheck: { label: "--create-check", value: flag(args, "create-check") },
    start: { label: "--start", value: flag(args, "start") },
  });
  const report = toReportConfig(args);
  return {
    jobIds,
    ...report,
    maxIntervalMs: parseMaxInterval(
      { label: "--max-interval", value: optionValue(args, "max-interval") },
      { label: "--interval", ms: report.intervalMs },
    ),
    endpoint: parseEndpoint("--endpoint", required(args, "endpoint")),
    ...(region ? { region } : {}),
    timeoutMs: parseDuration("--timeout", required(args, "timeout"), { allowZero: true }),
    requestTimeoutMs: parseDuration("--request-timeout", required(args, "request-timeout"), { allowZero: false }),
    rate: parseRate("--rate", required(args, "rate")),
    // On unless spelt off: yargs gives the default true.
    failFast: args["fail-fast"] !== false,
    ...(profile === undefined ? {} : { profile }),
    createCheck: flag(args, "create-check"),
    start: flag(args, "start"),
    ...migration,
    ...(redisUrl ? { redisUrl } : {}),
  };
}
