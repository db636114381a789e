import type { ApiAnswer } from "../tencent/types.js";
import type { JobRecord } from "./job-record.js";
import type { OnceAction } from "./once-actions.js";
import type { PolledPhase } from "./phase.js";
import type { SendRequest, SendResult } from "./send.js";
import type { GateDeps, GateOptions } from "./types.js";

/** What the stages need of a run of the gate: its jobs, and how to wait, send and conclude. */
export interface StageRun {
  readonly options: GateOptions;
  readonly deps: GateDeps;
  readonly records: readonly JobRecord[];
  /** Every job so far can still open the gate. */
  allOpen(): boolean;
  /** Runs `task` for each of `records` at once; a failure that is no result stops the run. */
  eachJob(task: (record: JobRecord) => Promise<unknown>, records?: readonly JobRecord[]): Promise<void>;
  waitThrough<View>(record: JobRecord, phase: PolledPhase<View>): Promise<boolean>;
  concluded(record: JobRecord): void;
  sendOnce(record: JobRecord, action: OnceAction, params?: SendRequest["params"]): Promise<ApiAnswer | undefined>;
  send(record: JobRecord, request: SendRequest): Promise<SendResult>;
}
