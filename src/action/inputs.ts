import { ACTION_BOOLEAN_WORDS, parseBooleanWord } from "../app/booleans.js";
import { DEFAULTS } from "../app/defaults.js";
import { parseDuration } from "../app/duration.js";
import {
  checkOptionsApply,
  parseEndpoint,
  parseJobIds,
  parseMaxInterval,
  parseMigrationOptions,
  parseRedisUrl,
} from "../app/options.js";
import type { RunConfig } from "../app/run.js";
import { present } from "../tencent/credentials.js";
import { DEFAULT_ENDPOINT } from "../tencent/endpoints.js";
import { ConfigError } from "../tencent/errors.js";
import {
  CREDENTIAL_FALLBACKS,
  type CredentialRequest,
  type Env,
  type GetInput,
  readCredentialInputs,
} from "./credentials.js";

/** What the gate runs with, but for credentials: the chain finds them as the run starts. */
export interface ActionConfig extends Omit<RunConfig, "credentials" | "budgetKey" | "credentialSource"> {
  readonly credentials: CredentialRequest;
}

/** Every input of action.yml, in the order the docs list them. */
export const INPUT_NAMES = [
  "job-id",
  "secret-id",
  "secret-key",
  "session-token",
  "region",
  "endpoint",
  "interval",
  "max-interval",
  "timeout",
  "fail-on-warning",
  "create-check",
  "start-migration",
  "until",
  "max-lag",
  "max-gap",
  "settle",
  "complete",
  "compare",
  "redis-url",
  "request-timeout",
  "role-arn",
  "role-session-name",
  "oidc-provider-id",
  "audience",
  "role-duration",
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/**
 * A boolean input. Unlike `core.getBooleanInput` an empty value is the default, and
 * true/false/yes/no/on/off/1/0 and y/n are accepted in any case.
 */
export function parseBooleanInput(name: InputName, value: string, fallback = false): boolean {
  const word = value.trim();
  return word === "" ? fallback : parseBooleanWord(`input ${name}`, word, ACTION_BOOLEAN_WORDS);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every credential-like value the inputs and the environment hold, raw and trimmed: what
 * `core.setSecret` must see before anything is printed, even when the inputs turn out invalid.
 */
export function secretsToMask(getInput: GetInput, env: Env): string[] {
  const values: string[] = [];
  for (const [name, variables] of Object.entries(CREDENTIAL_FALLBACKS)) {
    values.push(getInput(name), ...variables.map((variable) => env[variable] ?? ""));
  }
  // A password in the Redis URL is legitimate, one in the endpoint an error: neither is shown.
  for (const name of ["redis-url", "endpoint"] as const) {
    const text = getInput(name);
    if (!text) continue;
    if (URL.canParse(text)) {
      const url = new URL(text);
      values.push(url.password, safeDecode(url.password));
    } else {
      // Not a URL: readInputs rejects it. Mask the whole value, it may hold a password.
      values.push(text);
    }
  }
  const unique = new Set<string>();
  for (const value of values) {
    for (const candidate of [value, value.trim()]) if (candidate.trim() !== "") unique.add(candidate);
  }
  return [...unique];
}

/**
 * Turns the inputs (and the `TENCENTCLOUD_*` fallbacks) into what the gate runs with.
 * Pure: no request, no output. Throws ConfigError with a sentence naming the input.
 */
export function readInputs(getInput: GetInput, env: Env): ActionConfig {
  const jobInput = getInput("job-id");
  if (jobInput.trim() === "") {
    throw new ConfigError(
      "input job-id is required: one or more job ids (as dts-1ewjspuw), separated by spaces, commas or newlines",
    );
  }
  const jobIds = parseJobIds([jobInput], "input job-id");
  const endpoint = parseEndpoint("input endpoint", present(getInput("endpoint")) ?? DEFAULT_ENDPOINT);
  const region = present(getInput("region")) ?? present(env.TENCENTCLOUD_REGION);
  const duration = (name: "interval" | "timeout" | "request-timeout", fallbackSeconds: number, allowZero: boolean) =>
    parseDuration(`input ${name}`, present(getInput(name)) ?? String(fallbackSeconds), { allowZero });
  const intervalMs = duration("interval", DEFAULTS.intervalSeconds, false);
  const maxIntervalMs = parseMaxInterval(
    { label: "input max-interval", value: present(getInput("max-interval")) },
    { label: "input interval", ms: intervalMs },
  );
  const timeoutMs = duration("timeout", DEFAULTS.timeoutSeconds, true);
  const requestTimeoutMs = duration("request-timeout", DEFAULTS.requestTimeoutSeconds, false);
  const failOnWarning = parseBooleanInput("fail-on-warning", getInput("fail-on-warning"));
  const createCheck = parseBooleanInput("create-check", getInput("create-check"));
  const start = parseBooleanInput("start-migration", getInput("start-migration"));
  const until = present(getInput("until"));
  const phases = {
    // action.yml gives `check` by default: only another value was asked for.
    until: { label: "input until", value: until === "check" ? undefined : until },
    maxLag: { label: "input max-lag", value: present(getInput("max-lag")) },
    maxGap: { label: "input max-gap", value: present(getInput("max-gap")) },
    settle: { label: "input settle", value: present(getInput("settle")) },
    complete: { label: "input complete", value: parseBooleanInput("complete", getInput("complete")) },
    compare: { label: "input compare", value: parseBooleanInput("compare", getInput("compare")) },
  };
  const migration = parseMigrationOptions(phases);
  checkOptionsApply(jobIds, {
    ...phases,
    createCheck: { label: "input create-check", value: createCheck },
    start: { label: "input start-migration", value: start },
  });
  const redisInput = present(getInput("redis-url"));
  const redisUrl = redisInput === undefined ? undefined : parseRedisUrl("input redis-url", redisInput);

  return {
    jobIds,
    endpoint,
    credentials: readCredentialInputs(getInput, env),
    ...(region ? { region } : {}),
    intervalMs,
    maxIntervalMs,
    timeoutMs,
    failOnWarning,
    createCheck,
    start,
    ...migration,
    rate: DEFAULTS.rate,
    requestTimeoutMs,
    ...(redisUrl ? { redisUrl } : {}),
  };
}
