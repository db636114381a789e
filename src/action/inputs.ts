import { DEFAULTS, parseEndpoint, parseJobIds, parseRedisUrl, parseSeconds } from "../cli/options.js";
import type { RunConfig } from "../gate/run.js";
import { Credentials, present, TOKEN_VARIABLES } from "../tencent/credentials.js";
import { ConfigError, isConfigError } from "../tencent/errors.js";

/** Reads one input as @actions/core does (trimmed; "" when not given). */
export type GetInput = (name: string) => string;
export type Env = Readonly<Record<string, string | undefined>>;

/** Every input of action.yml, in the order the docs list them. */
export const INPUT_NAMES = [
  "job-id",
  "secret-id",
  "secret-key",
  "session-token",
  "region",
  "endpoint",
  "interval",
  "timeout",
  "fail-on-warning",
  "create-check",
  "start-migration",
  "redis-url",
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** The variables a credential input falls back to (the session token: in this order). */
const FALLBACKS = {
  "secret-id": ["TENCENTCLOUD_SECRET_ID"],
  "secret-key": ["TENCENTCLOUD_SECRET_KEY"],
  "session-token": TOKEN_VARIABLES,
} as const;

const TRUE_WORDS = new Set(["true", "yes", "y", "on", "1"]);
const FALSE_WORDS = new Set(["false", "no", "n", "off", "0"]);

/** The CLI's parsers name their option as `--name`; an Action user knows it as an input. */
function asInput<T>(name: InputName, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!isConfigError(error)) throw error;
    const message = error.message.includes(`--${name}`)
      ? error.message.replaceAll(`--${name}`, `input ${name}`)
      : `input ${name}: ${error.message}`;
    throw new ConfigError(message);
  }
}

/**
 * A boolean input. Unlike `core.getBooleanInput` an empty value is the default, and
 * true/false/yes/no/on/off/1/0 are accepted in any case.
 */
export function parseBooleanInput(name: string, value: string, fallback = false): boolean {
  const word = value.trim().toLowerCase();
  if (word === "") return fallback;
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(`input ${name} must be true or false (or yes/no, 1/0), not ${JSON.stringify(value)}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function credentialValue(getInput: GetInput, env: Env, name: keyof typeof FALLBACKS): string | undefined {
  return present(getInput(name)) ?? FALLBACKS[name].map((variable) => present(env[variable])).find(Boolean);
}

/**
 * Every credential-like value the inputs and the environment hold, raw and trimmed: what
 * `core.setSecret` must see before anything is printed, even when the inputs turn out invalid.
 */
export function secretsToMask(getInput: GetInput, env: Env): string[] {
  const values: string[] = [];
  for (const [name, variables] of Object.entries(FALLBACKS)) {
    values.push(getInput(name), ...variables.map((variable) => env[variable] ?? ""));
  }
  const redis = getInput("redis-url");
  if (redis) {
    try {
      const url = new URL(redis);
      values.push(url.password, safeDecode(url.password));
    } catch {
      // Not a URL: readInputs rejects it. Mask the whole value, it may hold a password.
      values.push(redis);
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
export function readInputs(getInput: GetInput, env: Env): RunConfig {
  const jobInput = getInput("job-id");
  if (jobInput.trim() === "") {
    throw new ConfigError(
      "input job-id is required: one or more job ids (as dts-1ewjspuw), separated by spaces, commas or newlines",
    );
  }
  const jobIds = asInput("job-id", () => parseJobIds([jobInput]));
  const endpoint = asInput("endpoint", () => parseEndpoint(present(getInput("endpoint")) ?? DEFAULTS.endpoint));
  const region = present(getInput("region")) ?? present(env.TENCENTCLOUD_REGION);
  const seconds = (name: "interval" | "timeout", fallback: number, allowZero: boolean) =>
    asInput(name, () => parseSeconds(name, present(getInput(name)) ?? fallback, { allowZero })) * 1000;
  const intervalMs = seconds("interval", DEFAULTS.intervalSeconds, false);
  const timeoutMs = seconds("timeout", DEFAULTS.timeoutSeconds, true);
  const failOnWarning = parseBooleanInput("fail-on-warning", getInput("fail-on-warning"));
  const createCheck = parseBooleanInput("create-check", getInput("create-check"));
  const start = parseBooleanInput("start-migration", getInput("start-migration"));
  const redisInput = present(getInput("redis-url"));
  const redisUrl = redisInput === undefined ? undefined : asInput("redis-url", () => parseRedisUrl(redisInput));

  const secretId = credentialValue(getInput, env, "secret-id");
  const secretKey = credentialValue(getInput, env, "secret-key");
  const token = credentialValue(getInput, env, "session-token");
  if (secretId === undefined && secretKey === undefined) {
    throw new ConfigError(
      "no credentials: set the secret-id and secret-key inputs (from repository secrets), or the TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY environment variables",
    );
  }
  if (secretId === undefined) throw new ConfigError("secret-key is set but secret-id is not: set both");
  if (secretKey === undefined) throw new ConfigError("secret-id is set but secret-key is not: set both");

  return {
    jobIds,
    endpoint,
    credentials: new Credentials(secretId, secretKey, token),
    ...(region ? { region } : {}),
    intervalMs,
    timeoutMs,
    failOnWarning,
    createCheck,
    start,
    rate: DEFAULTS.rate,
    requestTimeoutMs: DEFAULTS.requestTimeoutSeconds * 1000,
    ...(redisUrl ? { redisUrl } : {}),
  };
}
