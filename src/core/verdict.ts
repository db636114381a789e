import type { CheckStep } from "../tencent/types.js";

/**
 * How a job's wait ended, as the JSON document names it. `cancelled`: not polled any more once the
 * gate could no longer open (--fail-fast). `ready`: ready to cut over; `done`: the migration succeeded. `different`: a consistency check found
 * the data of source and target different.
 */
export type Outcome =
  | "pass"
  | "notPass"
  | "failed"
  | "timeout"
  | "error"
  | "cancelled"
  | "ready"
  | "done"
  | "different";
export type JobState = "waiting" | Outcome;

export const EXIT_CODES = {
  open: 0,
  closed: 1,
  usage: 2,
  timeout: 3,
  error: 4,
  sigint: 130,
  sigterm: 143,
} as const;

/** 130 after SIGINT, 143 after SIGTERM: what a shell reports for a process the signal ended. */
export function exitCodeOfSignal(signal: "SIGINT" | "SIGTERM"): number {
  return signal === "SIGINT" ? EXIT_CODES.sigint : EXIT_CODES.sigterm;
}

export interface WarningItem {
  readonly stepNo: number | null;
  readonly stepName: string;
  readonly itemName: string;
}

/**
 * Warnings a passing check carries: warning items of steps that were not skipped, and warning
 * steps without items. A skipped step was set aside by the user on purpose; it is shown, not counted.
 */
export function warningsOf(steps: readonly CheckStep[] | null): WarningItem[] {
  const warnings: WarningItem[] = [];
  for (const step of steps ?? []) {
    if (step.HasSkipped) continue;
    const stepName = step.StepName ?? step.StepId ?? "step";
    const items = (step.DetailCheckItems ?? []).filter((item) => item.CheckResult === "warning");
    for (const item of items)
      warnings.push({ stepNo: step.StepNo, stepName, itemName: item.CheckItemName ?? stepName });
    if (items.length === 0 && step.StepStatus === "warning") {
      warnings.push({ stepNo: step.StepNo, stepName, itemName: stepName });
    }
  }
  return warnings;
}

/**
 * What a passing check carries when part of its steps could not be read: a warning may hide there,
 * and what cannot be read is never evidence for opening a gate that asked about warnings.
 */
export const UNREADABLE_STEPS_WARNING: WarningItem = {
  stepNo: null,
  stepName: "the check's steps",
  itemName: "part of the answer's steps had another type than documented and could not be read: it may hide a warning",
};

/** Exit code of one job's outcome; with several jobs the highest wins (4 > 3 > 1 > 0). */
export function exitCodeOf(outcome: Outcome, warningsCloseGate: boolean): number {
  switch (outcome) {
    case "error":
      return EXIT_CODES.error;
    case "timeout":
      return EXIT_CODES.timeout;
    case "notPass":
    case "failed":
    case "different":
    // Never polled to the end: it cannot open the gate, and it never weighs more than what closed it.
    case "cancelled":
      return EXIT_CODES.closed;
    case "ready":
    case "done":
      return EXIT_CODES.open;
    case "pass":
      return warningsCloseGate ? EXIT_CODES.closed : EXIT_CODES.open;
  }
}
