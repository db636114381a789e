import type { Argv } from "yargs";
import { SCENARIO_NAMES } from "../simulator/scenarios.js";
import { ConfigError } from "../tencent/errors.js";
import { lastValue } from "./wait-options.js";

/** Numbers too are strings to yargs: wholeNumber reads them, quoting a bad one as typed. */
const number = { type: "string", requiresArg: true } as const;

/** `--scenario` of simulate and demo. */
export const scenarioOption = { choices: SCENARIO_NAMES, requiresArg: true, default: "warning" as const } as const;

/** The simulator's pace, `--step-ms` and `--migrate-ms` of simulate and demo (each sets its default). */
export const stepMsOption = {
  ...number,
  describe: "how long each of the 13 check steps (and of a consistency check's 3) takes, ms",
} as const;
export const migrateMsOption = {
  ...number,
  describe: "how long a started migration takes to readyComplete (a sync job to zero lag), ms",
} as const;

/** `--NAME` as typed, a whole number from min to max; throws ConfigError quoting it. */
export function wholeNumber(name: string, text: string, max: number, min = 0): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new ConfigError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return value;
}

/** `--step-ms` as typed: at most an hour a step. */
export function parseStepMs(text: string): number {
  return wholeNumber("step-ms", text, 3_600_000);
}

/** `--migrate-ms` as typed: at most a day. */
export function parseMigrateMs(text: string): number {
  return wholeNumber("migrate-ms", text, 86_400_000);
}

/** `simulate`'s options (the API's stand-in, --fault, and the keyless sources' STS and metadata). */
export function simulateOptions<T>(parser: Argv<T>) {
  return parser
    .option("port", { ...number, default: "0", describe: "0 picks a free port" })
    .option("host", { type: "string", requiresArg: true, default: "127.0.0.1" })
    .option("scenario", { ...scenarioOption, describe: "scenario of every job" })
    .option("job", {
      type: "string",
      array: true,
      requiresArg: true,
      describe: "ID=SCENARIO[,SCENARIO…]: this job's checks, a dts- or sync- id (others: ResourceNotFound)",
    })
    .option("step-ms", { ...stepMsOption, default: "300" })
    .option("migrate-ms", { ...migrateMsOption, default: "5000" })
    .option("seed", {
      ...number,
      describe: "uneven step durations drawn from a PRNG with this seed (the longest 5 times the shortest)",
    })
    .option("secret-id", {
      type: "string",
      requiresArg: true,
      describe: "the only SecretId accepted [default: the demo pair]",
    })
    .option("secret-key", { type: "string", requiresArg: true, describe: "the only SecretKey accepted" })
    .option("rate", {
      ...number,
      default: "20",
      describe: "per-action requests per second before RequestLimitExceeded",
    })
    .option("clock-offset", { ...number, default: "0", describe: "seconds the simulator's clock runs ahead" })
    .option("fault", {
      type: "string",
      array: true,
      requiresArg: true,
      describe: "inject a fault: KIND[~N][:JOB_ID][@AFTER][xCOUNT]",
    })
    .option("oidc-token", {
      type: "string",
      array: true,
      requiresArg: true,
      describe: "a web identity token STS AssumeRoleWithWebIdentity accepts (repeatable)",
    })
    .option("cvm-role", {
      type: "string",
      requiresArg: true,
      describe: "the CAM role the metadata routes (/latest/meta-data/cam/security-credentials/) answer for",
    })
    .option("credential-ttl", {
      ...number,
      describe: "seconds the temporary credentials issued last [default: STS DurationSeconds, else 7200]",
    })
    .coerce(SINGLE_VALUE_OPTIONS, lastValue);
}

/** simulate's options that take one value: repeated, the last one wins (as in wait and demo). */
const SINGLE_VALUE_OPTIONS = [
  "port",
  "host",
  "scenario",
  "step-ms",
  "migrate-ms",
  "seed",
  "secret-id",
  "secret-key",
  "rate",
  "clock-offset",
  "cvm-role",
  "credential-ttl",
];
