import type { DescribeMigrationCheckJobResponse } from "../../tencent/types.js";
import { isTerminalStatus } from "./check-verdict.js";

export const STALE_NOTE = "result may be from before the new check started: waiting for it to run";
export const GRACE_NOTE =
  "the new check was never seen running; its result is taken as it stands after the grace period";
export const DEFAULT_STALE_GRACE_MS = 60_000;

/** Same answer, same check result: what tells a stale result from a fresh one. */
function resultKey(response: DescribeMigrationCheckJobResponse): string {
  return JSON.stringify([response.Status, response.CheckFlag, response.BriefMsg, response.StepInfo]);
}

/**
 * After CreateMigrateCheckJob the service may still show the previous check's result for a while.
 * A finished result is taken as the new check's once the check was seen unfinished, or once the
 * result changed; an unchanged one is accepted only after a grace period, so that a very fast check
 * cannot hang the gate. Without a new check, every result is fresh.
 */
export class FreshResultFilter {
  #sawNewCheck: boolean;
  #firstKey: string | undefined;

  constructor(
    newCheck: boolean,
    private readonly createdAt: number,
    private readonly graceMs: number,
  ) {
    this.#sawNewCheck = !newCheck;
  }

  /** Whether the new check has shown itself (its doubt about the old result is gone). */
  get sawNewCheck(): boolean {
    return this.#sawNewCheck;
  }

  /** `fresh`: take the verdict; `stale`: wait for the new check; `graceElapsed`: take it, noted. */
  classify(
    response: DescribeMigrationCheckJobResponse,
    finished: boolean,
    now: number,
  ): "fresh" | "stale" | "graceElapsed" {
    if (!isTerminalStatus(response.Status)) this.#sawNewCheck = true;
    if (!finished || this.#sawNewCheck) return "fresh";
    const key = resultKey(response);
    this.#firstKey ??= key;
    if (key !== this.#firstKey) {
      this.#sawNewCheck = true;
      return "fresh";
    }
    return now - this.createdAt >= this.graceMs ? "graceElapsed" : "stale";
  }
}
