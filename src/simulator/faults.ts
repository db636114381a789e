import type { DtsAction } from "../tencent/types.js";
import { JOB_ID_PATTERN } from "../tencent/types.js";

/**
 * Misbehaviours the simulator can be told to show.
 * Refusals (the action is NOT applied): `throttle` (RequestLimitExceeded), `internal` (InternalError),
 * `http502` (HTTP 502, HTML body), `denied` (UnauthorizedOperation: as when the key's CAM policy
 * changes mid-wait; the one fault no client should retry).
 * Lost or garbled answers (the action IS applied first, as when a reply is lost on the way back):
 * `reset` (socket destroyed, no answer), `stall` (no answer until the client gives up or close()),
 * `truncated` (full Content-Length, half the bytes, then the socket destroyed), `invalidJson`,
 * `emptyBody`, `nullFields` (DescribeMigrationCheckJob with Status, BriefMsg, StepInfo, CheckFlag null;
 * other actions answer normally).
 */
export type FaultKind =
  | "throttle"
  | "internal"
  | "http502"
  | "denied"
  | "reset"
  | "stall"
  | "truncated"
  | "invalidJson"
  | "emptyBody"
  | "nullFields";

export const FAULT_KINDS: readonly FaultKind[] = [
  "throttle",
  "internal",
  "http502",
  "denied",
  "reset",
  "stall",
  "truncated",
  "invalidJson",
  "emptyBody",
  "nullFields",
];

/** Faults that answer instead of performing the action. */
export const REFUSAL_FAULTS: ReadonlySet<FaultKind> = new Set(["throttle", "internal", "http502", "denied"]);

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

export interface FaultRule {
  kind: FaultKind;
  /** Only requests naming this JobId (any job when absent). */
  jobId?: string;
  /** Only this action (any when absent). */
  action?: DtsAction;
  /** Let this many matching requests through first (default 0). */
  after?: number;
  /** How many matching requests get the fault (default 1; Infinity = every one). */
  count?: number;
}

export const FAULT_SPEC_FORMAT = "KIND[:JOB_ID][@AFTER][xCOUNT]";

function specError(spec: string, why: string): Error {
  return new Error(
    `invalid fault spec "${spec}": ${why}. Expected ${FAULT_SPEC_FORMAT}, KIND one of ${FAULT_KINDS.join(", ")}; ` +
      `JOB_ID like dts-1ewjspuw; AFTER and COUNT whole numbers, x* for every matching request ` +
      `(e.g. throttle, reset:dts-1ewjspuw, stall@2, internal:dts-abcdefgh@1x3, http502x*)`,
  );
}

/**
 * Parses the `--fault` option: `KIND[:JOB_ID][@AFTER][xCOUNT]`, e.g. `throttle`, `reset:dts-1ewjspuw`,
 * `stall@2`, `internal:dts-abcdefgh@1x3`, `http502x*` (every matching request).
 */
export function parseFaultSpec(spec: string): FaultRule {
  const text = spec.trim();
  // A well-formed job id is tried first, so one containing "x" is not taken for a count.
  const match = /^([A-Za-z][A-Za-z0-9]*?)(?::(dts-[a-z0-9]{8}|[^@]*?))?(?:@([^x]*))?(?:x(.*))?$/.exec(text);
  if (!match) throw specError(spec, "cannot read it");
  const [, kind = "", jobId, after, count] = match;
  if (!isFaultKind(kind)) throw specError(spec, `unknown fault kind "${kind}"`);
  const rule: FaultRule = { kind };
  if (jobId !== undefined) {
    if (!JOB_ID_PATTERN.test(jobId)) throw specError(spec, `"${jobId}" is not a job id`);
    rule.jobId = jobId;
  }
  if (after !== undefined) {
    if (!/^\d{1,9}$/.test(after)) throw specError(spec, `AFTER "${after}" is not a whole number`);
    rule.after = Number(after);
  }
  if (count !== undefined) {
    if (count === "*") rule.count = Number.POSITIVE_INFINITY;
    else if (/^\d{1,9}$/.test(count) && Number(count) > 0) rule.count = Number(count);
    else throw specError(spec, `COUNT "${count}" is neither a positive whole number nor *`);
  }
  return rule;
}

/** Validates a rule given programmatically; throws like parseFaultSpec. */
export function checkFaultRule(rule: FaultRule): void {
  const describe = JSON.stringify(rule) ?? String(rule);
  if (!isFaultKind(rule.kind)) throw specError(describe, `unknown fault kind "${String(rule.kind)}"`);
  if (rule.after !== undefined && !(Number.isInteger(rule.after) && rule.after >= 0)) {
    throw specError(describe, "after must be a whole number");
  }
  if (
    rule.count !== undefined &&
    !(rule.count === Number.POSITIVE_INFINITY || (Number.isInteger(rule.count) && rule.count > 0))
  ) {
    throw specError(describe, "count must be a positive whole number or Infinity");
  }
}

interface ActiveRule {
  readonly rule: FaultRule;
  seen: number;
  applied: number;
}

/**
 * The rules in force. Every rule counts the requests it matches; the first rule (in the order
 * given) whose `after` has passed and whose `count` is not used up fires.
 */
export class FaultBook {
  readonly #rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    checkFaultRule(rule);
    this.#rules.push({ rule: { ...rule }, seen: 0, applied: 0 });
  }

  /** The fault for this request, if any; counts it against the matching rules. */
  take(action: string, jobId: string | undefined): FaultKind | undefined {
    let chosen: FaultKind | undefined;
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.jobId !== undefined && rule.jobId !== jobId) continue;
      if (rule.action !== undefined && rule.action !== action) continue;
      active.seen += 1;
      if (chosen !== undefined) continue;
      if (active.seen > (rule.after ?? 0) && active.applied < (rule.count ?? 1)) {
        active.applied += 1;
        chosen = rule.kind;
      }
    }
    return chosen;
  }
}
