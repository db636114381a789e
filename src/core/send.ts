import type { ApiError } from "../tencent/errors.js";
import type { ApiAnswer, DtsAction } from "../tencent/types.js";

/** One logical request: the action, its parameters, and whether it may be sent again. */
export interface SendRequest {
  readonly action: DtsAction;
  /** Job and task ids, and the numbers of a paged request. */
  readonly params: Readonly<Record<string, string | number>>;
  /** False for an action that must not run twice: never sent again after a failure that may have been applied. */
  readonly repeatable: boolean;
  /** Sends at most, the first included (default: as many as the retry policy allows). */
  readonly maxSends?: number;
  /** 0 (first) to 9 (last), default 5: while requests wait for the rate, lower numbers go first. */
  readonly priority?: number;
}

export interface RetryNotice {
  readonly attempt: number;
  /** Attempts this request may make in all (retries included): "attempt 2 of 7"; absent: until the deadline. */
  readonly maxAttempts?: number;
  readonly error: ApiError;
  /** Pause before the next attempt; undefined when this was the last one. */
  readonly delayMs?: number;
}

/** What the core learns of each attempt while one logical request is being sent. */
export interface SendWatch {
  /** An attempt is handed to the network. */
  readonly onAttempt: () => void;
  /** An attempt failed (the error says whether it may have been applied). */
  readonly onAttemptFailed: (error: ApiError) => void;
  readonly onRetry: (notice: RetryNotice) => void;
}

export type SendResult =
  | { readonly ok: true; readonly value: ApiAnswer; readonly attempts: number }
  | { readonly ok: false; readonly error: ApiError; readonly attempts: number };

/**
 * How the core reaches the API: sends one logical request (retries, pacing and signing are the
 * port's business) and resolves with its answer or an error with a kind; it never rejects for an
 * API failure. `signal` aborts the whole request, waits included.
 */
export type SendPort = (request: SendRequest, signal: AbortSignal, watch: SendWatch) => Promise<SendResult>;
