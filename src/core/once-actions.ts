import type { ApiError } from "../tencent/errors.js";
import type { JobKind } from "./job-kind.js";
import type { ActionReceipt, GateEvent, PhaseName } from "./types.js";

/** Actions that change the job: each has one record per job of what was sent and what came back. */
export type OnceAction =
  | "CreateMigrateCheckJob"
  | "StartMigrateJob"
  | "CompleteMigrateJob"
  | "CreateCheckSyncJob"
  | "StartSyncJob"
  | "CreateCompareTask"
  | "CreateSyncCompareTask"
  | "StartCompare"
  | "StartSyncCompare";

export interface OnceRule {
  /** The kind of job the action is sent for: an unknown outcome is told by the job's kind and the code. */
  readonly kind: Exclude<JobKind, "compare">;
  /** The phase of the job's life the action belongs to. */
  readonly phase: PhaseName;
  /** False: never sent again after a failure that may have been applied. */
  readonly repeatable: boolean;
  /** Sends at most, the first included: only refusals that were surely not applied are sent again. */
  readonly maxSends?: number;
  /** The error code of a send that may have been applied and whose answer was never read. */
  readonly unknownCode?: string;
  /** The error code of a send stopped before anything was accepted. */
  readonly notSentCode?: string;
  /** What did not happen when every send was refused: "the migration was not started". */
  readonly notDone: string;
  /** What a person would do next: "starting it by hand". */
  readonly byHand: string;
  /** The run's reason when the outcome of some jobs' sends is unknown. */
  readonly unknownReason?: (jobs: string) => string;
  /** The event that tells the action was accepted. */
  readonly receipt: (jobId: string, requestId: string) => GateEvent;
}

const createCheck = (kind: OnceRule["kind"]): OnceRule => ({
  kind,
  phase: "check",
  repeatable: true,
  notDone: "the check was not created",
  byHand: "creating it by hand",
  receipt: (jobId, requestId) => ({ type: "created", jobId, requestId }),
});

const start = (kind: OnceRule["kind"], action: OnceAction, what: string): OnceRule => ({
  kind,
  phase: "start",
  repeatable: false,
  maxSends: 3,
  unknownCode: "StartOutcomeUnknown",
  notSentCode: "StartNotSent",
  notDone: `the ${what} was not started`,
  byHand: "starting it by hand",
  unknownReason: (jobs) =>
    `gate closed: ${action} was sent for ${jobs} and its outcome is unknown (StartOutcomeUnknown): check the job's state before starting it by hand`,
  receipt: (jobId, requestId) => ({ type: "started", jobId, requestId }),
});

/** A second consistency check of the same job in one run would be one nobody waits for. */
const createCompare = (kind: OnceRule["kind"], action: OnceAction): OnceRule => ({
  kind,
  phase: "compare",
  repeatable: false,
  maxSends: 3,
  unknownCode: "CompareCreateOutcomeUnknown",
  notSentCode: "CompareNotCreated",
  notDone: "no consistency check was created",
  byHand: "creating a consistency check by hand",
  unknownReason: (jobs) =>
    `gate closed: ${action} was sent for ${jobs} and its outcome is unknown (CompareCreateOutcomeUnknown): a consistency check may exist that nobody waits for`,
  receipt: (jobId, requestId) => ({ type: "compareCreated", jobId, requestId }),
});

/** Starting a consistency check twice is refused by the API, never applied twice: plain retries. */
const startCompare = (kind: OnceRule["kind"]): OnceRule => ({
  kind,
  phase: "compare",
  repeatable: true,
  notDone: "the consistency check was not started",
  byHand: "starting it by hand",
  receipt: (jobId, requestId) => ({ type: "compareStarted", jobId, requestId }),
});

/** Starting and completing a job must not run twice; creating a check again only restarts it. */
export const ONCE_RULES: Readonly<Record<OnceAction, OnceRule>> = {
  CreateMigrateCheckJob: createCheck("migration"),
  StartMigrateJob: start("migration", "StartMigrateJob", "migration"),
  CompleteMigrateJob: {
    kind: "migration",
    phase: "complete",
    repeatable: false,
    maxSends: 3,
    unknownCode: "CompleteOutcomeUnknown",
    notSentCode: "CompleteNotSent",
    notDone: "the migration was not completed",
    byHand: "completing it by hand",
    unknownReason: (jobs) =>
      `CompleteOutcomeUnknown: CompleteMigrateJob was sent for ${jobs} and its outcome is unknown: check the job's state before completing it by hand; gate closed`,
    receipt: (jobId, requestId) => ({ type: "completeSent", jobId, requestId }),
  },
  CreateCheckSyncJob: createCheck("sync"),
  StartSyncJob: start("sync", "StartSyncJob", "sync job"),
  CreateCompareTask: createCompare("migration", "CreateCompareTask"),
  CreateSyncCompareTask: createCompare("sync", "CreateSyncCompareTask"),
  StartCompare: startCompare("migration"),
  StartSyncCompare: startCompare("sync"),
};

/** The actions whose unknown outcome the reason tells first, the latest in a migration's life first. */
export const UNKNOWN_FIRST: readonly OnceAction[] = [
  "CompleteMigrateJob",
  "CreateCompareTask",
  "CreateSyncCompareTask",
  "StartMigrateJob",
  "StartSyncJob",
];

/** What was sent of one such action for one job. */
export class SentRecord {
  /** Requests handed to the network (0: never sent). */
  requests = 0;
  /** A request may have reached the service: its answer was lost or cut. */
  maybeApplied = false;
  receipt: ActionReceipt | null = null;

  constructor(readonly action: OnceAction) {}

  get rule(): OnceRule {
    return ONCE_RULES[this.action];
  }

  attempted() {
    this.requests++;
  }

  attemptFailed(error: ApiError) {
    if (error.maybeApplied) this.maybeApplied = true;
  }

  /** Sent, and no answer read: the request may have been applied. */
  get inDoubt(): boolean {
    return this.requests > 0 && this.receipt === null;
  }
}
