import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import { type Credentials, type Env, pair, present } from "./credentials.js";
import { ConfigError } from "./errors.js";

export const SYSTEM_CREDENTIALS_FILE = "/etc/tencentcloud/credentials";
const PROFILE_NAME = /^[\w.@-]{1,64}$/;

/** Reads a file as text, or `undefined` when it does not exist. */
export type ReadText = (path: string) => Promise<string | undefined>;

/** No credentials, profile or token file comes near this. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/**
 * Reads a regular file as text, or `undefined` when it does not exist. Opened non-blocking and
 * checked with `fstat` before reading, so a FIFO, a device or a directory (which could block or
 * never end) is a ConfigError, as is a file over MAX_CONFIG_FILE_BYTES.
 */
export const readTextIfExists: ReadText = async (path) => {
  let file: FileHandle;
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new ConfigError(`${path} is not a regular file: point it at the file itself`);
    if (stats.size > MAX_CONFIG_FILE_BYTES) {
      throw new ConfigError(`${path} is over ${MAX_CONFIG_FILE_BYTES} bytes: not a credentials or token file`);
    }
    // One byte more than the bound tells a file that grew since fstat.
    const buffer = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CONFIG_FILE_BYTES) {
        throw new ConfigError(`${path} is over ${MAX_CONFIG_FILE_BYTES} bytes: not a credentials or token file`);
      }
    }
    return buffer.toString("utf8", 0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  } finally {
    await file.close();
  }
};

export interface ProfileChoice {
  readonly name: string;
  /** Asked for by `--profile` or TCCLI_PROFILE: its absence is an error, not a fall-through. */
  readonly explicit: boolean;
}

/** `--profile NAME`, else TCCLI_PROFILE, else `default`. */
export function chooseProfile(option: string | undefined, env: Env): ProfileChoice {
  const given = present(option) ?? present(env.TCCLI_PROFILE);
  const name = given ?? "default";
  if (!PROFILE_NAME.test(name)) {
    throw new ConfigError(`profile name ${JSON.stringify(name.slice(0, 80))} is not one: use letters, digits, _ . @ -`);
  }
  return { name, explicit: given !== undefined };
}

/** The key/value lines of one `[section]` of an INI file (the official SDK's profile format). */
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

function hasSection(text: string, section: string): boolean {
  return text.split(/\r?\n/).some((line) => /^\[(.+)\]$/.exec(line.trim())?.[1]?.trim() === section);
}

function parseJsonFile(path: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON: fix it or rerun tccli configure`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${path} is not a JSON object: fix it or rerun tccli configure`);
  }
  return parsed as Record<string, unknown>;
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === "string" ? present(value) : undefined;
}

export interface ProfileFiles {
  readonly env: Env;
  readonly homeDir: string;
  readonly readText: ReadText;
}

/** The files the profile may be in, in the order they are read. */
export function profilePaths(files: ProfileFiles, profile: string): string[] {
  const userFile =
    present(files.env.TENCENTCLOUD_CREDENTIALS_FILE) ?? join(files.homeDir, ".tencentcloud", "credentials");
  return [userFile, SYSTEM_CREDENTIALS_FILE, join(files.homeDir, ".tccli", `${profile}.credential`)];
}

export type ProfileOutcome =
  | { readonly found: true; readonly credentials: Credentials; readonly path: string }
  | { readonly found: false; readonly looked: readonly string[] };

/**
 * The profile's credentials: the SDK's INI file (`TENCENTCLOUD_CREDENTIALS_FILE` or
 * `~/.tencentcloud/credentials`), then `/etc/tencentcloud/credentials`, section = profile name,
 * then tccli's `~/.tccli/NAME.credential`. A half-set pair is a ConfigError, not a fall-through.
 */
export async function profileCredentials(files: ProfileFiles, profile: string): Promise<ProfileOutcome> {
  const [userFile = "", systemFile = "", tccliFile = ""] = profilePaths(files, profile);
  for (const path of [userFile, systemFile]) {
    const text = await files.readText(path);
    if (text === undefined) continue;
    const values = parseIniProfile(text, profile);
    const names = { where: `${path} [${profile}]`, id: "secret_id", key: "secret_key" };
    const found = pair(present(values.secret_id), present(values.secret_key), present(values.token), names);
    if (found) return { found: true, credentials: found, path: `${path} [${profile}]` };
    if (hasSection(text, profile))
      throw new ConfigError(`${path} has a [${profile}] section without secret_id and secret_key`);
  }
  const tccliText = await files.readText(tccliFile);
  if (tccliText !== undefined) {
    const values = parseJsonFile(tccliFile, tccliText);
    const names = { where: tccliFile, id: "secretId", key: "secretKey" };
    const found = pair(
      stringField(values, "secretId"),
      stringField(values, "secretKey"),
      stringField(values, "token"),
      names,
    );
    if (found) return { found: true, credentials: found, path: tccliFile };
  }
  return { found: false, looked: [userFile, systemFile, tccliFile] };
}

/** tccli's region for the profile: `_sys_param.region` of `~/.tccli/NAME.configure`. */
export async function profileRegion(files: ProfileFiles, profile: string): Promise<string | undefined> {
  const path = join(files.homeDir, ".tccli", `${profile}.configure`);
  const text = await files.readText(path);
  if (text === undefined) return undefined;
  const sys = parseJsonFile(path, text)._sys_param;
  return typeof sys === "object" && sys !== null ? stringField(sys as Record<string, unknown>, "region") : undefined;
}
