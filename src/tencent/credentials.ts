import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ConfigError } from "./errors.js";

/**
 * A SecretId/SecretKey pair and optional session token. The key and token live in private
 * fields, so neither `JSON.stringify`, `util.inspect` nor string conversion can print them.
 */
export class Credentials {
  readonly secretId: string;
  readonly #secretKey: string;
  readonly #token: string | undefined;

  constructor(secretId: string, secretKey: string, token?: string) {
    this.secretId = secretId;
    this.#secretKey = secretKey;
    this.#token = token;
  }

  get secretKey(): string {
    return this.#secretKey;
  }

  get token(): string | undefined {
    return this.#token;
  }

  /** Every value that must never appear in output: for masking. */
  secrets(): string[] {
    return [this.#secretKey, ...(this.#token === undefined ? [] : [this.#token])];
  }

  toJSON(): Record<string, string> {
    return { secretId: this.secretId, secretKey: "***", ...(this.#token === undefined ? {} : { token: "***" }) };
  }

  toString(): string {
    return `Credentials(${this.secretId})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export interface CredentialSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  /** Reads a file as text, or `undefined` when it does not exist. */
  readonly readText?: (path: string) => Promise<string | undefined>;
}

export interface ResolvedCredentials {
  readonly credentials: Credentials;
  /** Where they came from, for the log: never the values. */
  readonly source: string;
}

/** Where Tencent's tools look for a session token, in this order (SDK, tccli, Terraform). */
export const TOKEN_VARIABLES = [
  "TENCENTCLOUD_SESSION_TOKEN",
  "TENCENTCLOUD_TOKEN",
  "TENCENTCLOUD_SECURITY_TOKEN",
] as const;

/** A value trimmed, or undefined when it is empty: an empty variable counts as unset. */
export function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") {
      return undefined;
    }
    throw new ConfigError(`cannot read credentials file ${path}: ${(error as Error).message}`);
  }
}

function pair(
  secretId: string | undefined,
  secretKey: string | undefined,
  token: string | undefined,
  where: string,
  idName: string,
  keyName: string,
): Credentials | undefined {
  if (secretId === undefined && secretKey === undefined) return undefined;
  if (secretId === undefined) throw new ConfigError(`${where} sets ${keyName} but not ${idName}: set both`);
  if (secretKey === undefined) throw new ConfigError(`${where} sets ${idName} but not ${keyName}: set both`);
  return new Credentials(secretId, secretKey, token);
}

/** Parses the `[default]` section of the official SDK's INI profile. */
export function parseIniProfile(text: string, section = "default"): Record<string, string> {
  const values: Record<string, string> = {};
  let current: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1]?.trim();
      continue;
    }
    const eq = line.indexOf("=");
    if (current === section && eq > 0) values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return values;
}

function stringField(object: unknown, key: string): string | undefined {
  if (typeof object !== "object" || object === null) return undefined;
  const value = (object as Record<string, unknown>)[key];
  return typeof value === "string" ? present(value) : undefined;
}

/**
 * Finds credentials as the Tencent tools do: the environment, then the official SDK's INI
 * profile (`~/.tencentcloud/credentials`, `/etc/tencentcloud/credentials`), then tccli's JSON
 * profile (`~/.tccli/default.credential`). A half-set pair is an error, not a fall-through.
 */
export async function resolveCredentials(sources: CredentialSources): Promise<ResolvedCredentials> {
  const { env } = sources;
  const read = sources.readText ?? readTextIfExists;
  const home = sources.homeDir ?? homedir();

  const envToken = TOKEN_VARIABLES.map((name) => present(env[name])).find((value) => value !== undefined);
  const fromEnv = pair(
    present(env.TENCENTCLOUD_SECRET_ID),
    present(env.TENCENTCLOUD_SECRET_KEY),
    envToken,
    "the environment",
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
  );
  if (fromEnv) return { credentials: fromEnv, source: "environment" };

  for (const path of [join(home, ".tencentcloud", "credentials"), "/etc/tencentcloud/credentials"]) {
    const text = await read(path);
    if (text === undefined) continue;
    const profile = parseIniProfile(text);
    const found = pair(
      present(profile.secret_id),
      present(profile.secret_key),
      present(profile.token),
      path,
      "secret_id",
      "secret_key",
    );
    if (found) return { credentials: found, source: path };
  }

  const tccliPath = join(home, ".tccli", "default.credential");
  const tccliText = await read(tccliPath);
  if (tccliText !== undefined) {
    let profile: unknown;
    try {
      profile = JSON.parse(tccliText);
    } catch {
      throw new ConfigError(`${tccliPath} is not valid JSON`);
    }
    const found = pair(
      stringField(profile, "secretId"),
      stringField(profile, "secretKey"),
      stringField(profile, "token"),
      tccliPath,
      "secretId",
      "secretKey",
    );
    if (found) return { credentials: found, source: tccliPath };
  }

  throw new ConfigError(
    "no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SESSION_TOKEN for temporary credentials), or write ~/.tencentcloud/credentials",
  );
}
