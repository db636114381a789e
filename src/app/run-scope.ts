import { setMaxListeners } from "node:events";
import type { StopSignal } from "./signals.js";

/** Why a run's scope ended before its work did. */
export type ScopeEnd = "deadline" | "interrupt";

/** Rejection of a wait that the scope cut short: the run's deadline passed or a signal came. */
export class ScopeEnded extends Error {
  readonly kind = "scopeEnded" as const;
  constructor(readonly end: ScopeEnd) {
    super(end === "deadline" ? "the deadline passed" : "interrupted");
    this.name = "ScopeEnded";
  }
}

export interface RunScopeOptions {
  /** The whole run's time, from the moment the scope is made; 0: no deadline (one look). */
  readonly timeoutMs: number;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  readonly onSignal: (handler: (signal: StopSignal) => void) => () => void;
  /** Monotonic milliseconds; default performance.now. */
  readonly now?: () => number;
}

/**
 * One deadline and one interrupt for a whole run, both armed before anything else starts: every
 * wait of the run (credentials, STS, files, Redis, requests, outputs) is bounded by `signal`.
 */
export class RunScope {
  readonly #ended = new AbortController();
  readonly #interrupt = new AbortController();
  readonly #now: () => number;
  readonly #deadlineAt: number | undefined;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #unsubscribe: () => void;
  #stopSignal: StopSignal | undefined;
  #end: ScopeEnd | undefined;

  constructor(options: RunScopeOptions) {
    // Every pause and request of every job may listen: hundreds of listeners are expected.
    setMaxListeners(0, this.#ended.signal, this.#interrupt.signal);
    this.#now = options.now ?? (() => performance.now());
    this.#unsubscribe = options.onSignal((signal) => {
      this.#stopSignal ??= signal;
      this.#interrupt.abort(new ScopeEnded("interrupt"));
      this.#finish("interrupt");
    });
    if (options.timeoutMs > 0) {
      this.#deadlineAt = this.#now() + options.timeoutMs;
      this.#timer = setTimeout(() => this.#finish("deadline"), options.timeoutMs);
    }
  }

  #finish(end: ScopeEnd) {
    this.#end ??= end;
    this.#ended.abort(new ScopeEnded(this.#end));
  }

  /** Aborts at the deadline or on a signal, whichever comes first. */
  get signal(): AbortSignal {
    return this.#ended.signal;
  }

  /** Aborts on SIGINT/SIGTERM only (the gate tells an interruption from its own deadline). */
  get interrupt(): AbortSignal {
    return this.#interrupt.signal;
  }

  get stopSignal(): StopSignal | undefined {
    return this.#stopSignal;
  }

  /** What ended the scope, if anything has. */
  get end(): ScopeEnd | undefined {
    return this.#end;
  }

  /** Time left before the deadline (at least 1 ms), or undefined when there is none. */
  remainingMs(): number | undefined {
    if (this.#deadlineAt === undefined) return undefined;
    return Math.max(1, Math.ceil(this.#deadlineAt - this.#now()));
  }

  /**
   * `work`, unless the scope ends first: then a ScopeEnded rejection, `graceMs` later (the time
   * `work` has to finish with what it knows once it has seen the scope end itself).
   */
  bound<T>(work: Promise<T>, graceMs = 0): Promise<T> {
    const signal = this.#ended.signal;
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onEnd = () => {
        timer = setTimeout(() => reject(signal.reason), graceMs);
      };
      const settle = () => {
        signal.removeEventListener("abort", onEnd);
        clearTimeout(timer);
      };
      if (signal.aborted) onEnd();
      else signal.addEventListener("abort", onEnd, { once: true });
      work.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  /** Stops listening for signals and clears the deadline's timer. */
  close() {
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }
}
