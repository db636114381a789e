import { inspect } from "node:util";
import { ConfigError } from "./errors.js";

/**
 * A SecretId/SecretKey pair, an optional session token and, for temporary credentials, when they
 * expire. The key and token live in private fields, so neither `JSON.stringify`, `util.inspect`
 * nor string conversion can print them.
 */
export class Credentials {
  readonly secretId: string;
  readonly #secretKey: string;
  readonly #token: string | undefined;
  /** Wall-clock ms since the epoch after which the server refuses them; undefined: they do not expire. */
  readonly expiresAtMs: number | undefined;

  constructor(secretId: string, secretKey: string, token?: string, expiresAtMs?: number) {
    this.secretId = secretId;
    this.#secretKey = secretKey;
    this.#token = token;
    this.expiresAtMs = expiresAtMs;
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
    return {
      secretId: this.secretId,
      secretKey: "***",
      ...(this.#token === undefined ? {} : { token: "***" }),
      ...(this.expiresAtMs === undefined ? {} : { expiresAt: new Date(this.expiresAtMs).toISOString() }),
    };
  }

  toString(): string {
    return `Credentials(${this.secretId})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Where a client takes the credentials of each request from: fixed ones, or temporary ones renewed
 * before they expire (src/tencent/renewal.ts). `current` rejects with a fatal ApiError once no
 * valid credentials remain.
 */
export interface CredentialSource {
  current(): Promise<Credentials>;
  /** Every key and token handed out so far, for masking output (temporary ones change). */
  secrets(): string[];
}

/** A fixed pair as a source. */
export function fixedSource(credentials: Credentials): CredentialSource {
  return { current: async () => credentials, secrets: () => credentials.secrets() };
}

export function isCredentialSource(value: Credentials | CredentialSource): value is CredentialSource {
  return !(value instanceof Credentials);
}

/** Where Tencent's tools look for a session token, in this order (SDK, tccli, Terraform). */
export const TOKEN_VARIABLES = [
  "TENCENTCLOUD_SESSION_TOKEN",
  "TENCENTCLOUD_TOKEN",
  "TENCENTCLOUD_SECURITY_TOKEN",
] as const;

export type Env = Readonly<Record<string, string | undefined>>;

/** A value trimmed, or undefined when it is empty: an empty variable counts as unset. */
export function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Names of a pair's two halves where it was found, for the message about a half-set pair. */
export interface PairNames {
  readonly where: string;
  readonly id: string;
  readonly key: string;
}

/** Credentials from two halves; undefined when neither is set; a ConfigError when only one is. */
export function pair(
  secretId: string | undefined,
  secretKey: string | undefined,
  token: string | undefined,
  names: PairNames,
): Credentials | undefined {
  if (secretId === undefined && secretKey === undefined) return undefined;
  if (secretId === undefined) throw new ConfigError(`${names.where} sets ${names.key} but not ${names.id}: set both`);
  if (secretKey === undefined) throw new ConfigError(`${names.where} sets ${names.id} but not ${names.key}: set both`);
  return new Credentials(secretId, secretKey, token);
}

/** The environment's pair and token (`TENCENTCLOUD_SECRET_ID`/`_KEY`, the first token variable set). */
export function environmentCredentials(env: Env): Credentials | undefined {
  const token = TOKEN_VARIABLES.map((name) => present(env[name])).find((value) => value !== undefined);
  return pair(present(env.TENCENTCLOUD_SECRET_ID), present(env.TENCENTCLOUD_SECRET_KEY), token, {
    where: "the environment",
    id: "TENCENTCLOUD_SECRET_ID",
    key: "TENCENTCLOUD_SECRET_KEY",
  });
}
