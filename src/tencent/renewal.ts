import type { CredentialSource, Credentials } from "./credentials.js";
import { ApiError } from "./errors.js";

/** Renew this long before `ExpiredTime`: a request signed now must still be valid when it arrives. */
export const RENEWAL_MARGIN_MS = 5 * 60_000;
/** After a failed renewal while the old credentials still hold, wait this long before trying again. */
export const RENEWAL_RETRY_MS = 15_000;

export interface RenewalOptions {
  /** Wall clock, ms since the epoch (expiry times are wall-clock); default Date.now. */
  readonly now?: () => number;
  readonly marginMs?: number;
  readonly retryMs?: number;
  /** What the credentials are, for the message when they run out ("the CVM role dts-runner"). */
  readonly description: string;
}

/**
 * Temporary credentials that stay valid: each `current()` hands out the held credentials until
 * `marginMs` before they expire, then fetches new ones, one fetch at a time however many
 * requests wait for it. Renewal comes before expiry, never after the server refused a request.
 * A failed renewal while the held ones are still valid is tried again on a later request (not
 * before `retryMs`); once none are valid, `current()` rejects with a fatal ApiError.
 */
export class RenewingCredentials implements CredentialSource {
  #held: Credentials;
  #renewal: Promise<Credentials> | undefined;
  #notBeforeMs = Number.NEGATIVE_INFINITY;
  readonly #fetch: () => Promise<Credentials>;
  readonly #now: () => number;
  readonly #marginMs: number;
  readonly #retryMs: number;
  readonly #description: string;
  readonly #secrets = new Set<string>();

  constructor(initial: Credentials, fetch: () => Promise<Credentials>, options: RenewalOptions) {
    this.#held = initial;
    this.#fetch = fetch;
    this.#now = options.now ?? Date.now;
    this.#marginMs = options.marginMs ?? RENEWAL_MARGIN_MS;
    this.#retryMs = options.retryMs ?? RENEWAL_RETRY_MS;
    this.#description = options.description;
    this.#remember(initial);
  }

  async current(): Promise<Credentials> {
    const held = this.#held;
    const expiresAt = held.expiresAtMs;
    const now = this.#now();
    if (expiresAt === undefined || now < expiresAt - this.#marginMs) return held;
    const stillValid = now < expiresAt;
    if (stillValid && this.#renewal === undefined && now < this.#notBeforeMs) return held;
    try {
      return await this.#renew();
    } catch (error) {
      this.#notBeforeMs = this.#now() + this.#retryMs;
      if (this.#now() < expiresAt) return held;
      throw this.#exhausted(error);
    }
  }

  secrets(): string[] {
    return [...this.#secrets];
  }

  #renew(): Promise<Credentials> {
    this.#renewal ??= this.#fetch()
      .then((fresh) => {
        this.#held = fresh;
        this.#remember(fresh);
        return fresh;
      })
      .finally(() => {
        this.#renewal = undefined;
      });
    return this.#renewal;
  }

  #remember(credentials: Credentials): void {
    for (const secret of credentials.secrets()) this.#secrets.add(secret);
  }

  #exhausted(cause: unknown): ApiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    const expired = new Date(this.#held.expiresAtMs ?? 0).toISOString();
    return new ApiError({
      kind: "fatal",
      code: "CredentialsExpired",
      message: `the temporary credentials of ${this.#description} expired at ${expired} and renewing them failed: ${why}`,
      maybeApplied: false,
    });
  }
}
