import type { DtsAction } from "../tencent/types.js";
import { jobKindOf } from "./actions.js";

/**
 * Misbehaviours the simulator can be told to show.
 * Refusals (the action is NOT applied): `throttle` (RequestLimitExceeded), `internal` (InternalError),
 * `http502` (HTTP 502, HTML body), `http429` and `http503` (that HTTP status, HTML body and a
 * `Retry-After` header: `retryAfter` seconds, default 2), `denied` (UnauthorizedOperation: as when the
 * key's CAM policy changes mid-wait; the one fault no client should retry).
 * Lost or garbled answers (the action IS applied first, as when a reply is lost on the way back):
 * `reset` (socket destroyed, no answer), `stall` (no answer until the client gives up or close()),
 * `truncated` (full Content-Length, half the bytes, then the socket destroyed), `invalidJson`,
 * `emptyBody`, `nullFields` (every field of the answer but RequestId null: DescribeMigrationCheckJob's
 * Status, BriefMsg, StepInfo, CheckFlag; an answer of only a RequestId is unchanged), `slowBody` (the
 * normal answer with its full Content-Length, the body sent one byte every `dripMs` ms, default 100:
 * only a bound on the whole request cuts it).
 */
/** Faults that answer instead of performing the action. */
const REFUSAL_KINDS = ["throttle", "internal", "http502", "http429", "http503", "denied"] as const;
/** Faults that perform the action, then lose or garble its answer. */
const APPLIED_KINDS = ["reset", "stall", "truncated", "invalidJson", "emptyBody", "nullFields", "slowBody"] as const;

export const FAULT_KINDS = [...REFUSAL_KINDS, ...APPLIED_KINDS] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export const REFUSAL_FAULTS: ReadonlySet<FaultKind> = new Set<FaultKind>(REFUSAL_KINDS);

export const DEFAULT_RETRY_AFTER_SEC = 2;
export const DEFAULT_DRIP_MS = 100;
const MAX_RETRY_AFTER_SEC = 86_400;
const MAX_DRIP_MS = 60_000;

function isFaultKind(value: string): value is FaultKind {
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
  /** http429, http503 only: the Retry-After header, whole seconds (default 2). */
  retryAfter?: number;
  /** slowBody only: ms between two bytes of the body, a whole number from 1 (default 100). */
  dripMs?: number;
}

/** `~N` is the kind's parameter: Retry-After seconds for http429/http503, ms per byte for slowBody. */
export const FAULT_SPEC_FORMAT = "KIND[~N][:JOB_ID][@AFTER][xCOUNT]";

function specError(spec: string, why: string): Error {
  return new Error(
    `invalid fault spec "${spec}": ${why}. Expected ${FAULT_SPEC_FORMAT}, KIND one of ${FAULT_KINDS.join(", ")}; ` +
      `~N only for http429/http503 (Retry-After seconds) and slowBody (ms per byte); ` +
      `JOB_ID like dts-1ewjspuw or sync-1ewjspuw; AFTER and COUNT whole numbers, x* for every matching request ` +
      `(e.g. throttle, reset:dts-1ewjspuw, stall@2, internal:dts-abcdefgh@1x3, http502x*, http429~3, slowBody~50@1)`,
  );
}

/** Puts the `~N` parameter where the kind takes it; throws when the kind takes none. */
function withParameter(spec: string, rule: FaultRule, parameter: string): void {
  if (!/^\d{1,9}$/.test(parameter)) throw specError(spec, `~N "${parameter}" is not a whole number`);
  const value = Number(parameter);
  if (rule.kind === "http429" || rule.kind === "http503") rule.retryAfter = value;
  else if (rule.kind === "slowBody") rule.dripMs = value;
  else throw specError(spec, `${rule.kind} takes no ~N`);
}

/**
 * Parses the `--fault` option: `KIND[~N][:JOB_ID][@AFTER][xCOUNT]`, e.g. `throttle`, `reset:dts-1ewjspuw`,
 * `stall@2`, `internal:dts-abcdefgh@1x3`, `http502x*` (every matching request), `http429~3` (Retry-After:
 * 3), `slowBody~20x*` (every answer dripped at one byte per 20 ms).
 */
export function parseFaultSpec(spec: string): FaultRule {
  const text = spec.trim();
  // A well-formed job id is tried first, so one containing "x" is not taken for a count.
  const match =
    /^([A-Za-z][A-Za-z0-9]*?)(?:~([^:@x]*))?(?::((?:dts|sync)-[a-z0-9]{8}|[^@]*?))?(?:@([^x]*))?(?:x(.*))?$/.exec(text);
  if (!match) throw specError(spec, "cannot read it");
  const [, kind = "", parameter, jobId, after, count] = match;
  if (!isFaultKind(kind)) throw specError(spec, `unknown fault kind "${kind}"`);
  const rule: FaultRule = { kind };
  if (parameter !== undefined) withParameter(spec, rule, parameter);
  if (jobId !== undefined) {
    if (jobKindOf(jobId) === undefined) throw specError(spec, `"${jobId}" is not a job id`);
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
  checkFaultRule(rule);
  return rule;
}

const wholeIn = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/** Validates a rule given programmatically; throws like parseFaultSpec. */
function checkFaultRule(rule: FaultRule): void {
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
  if (rule.retryAfter !== undefined) {
    if (rule.kind !== "http429" && rule.kind !== "http503")
      throw specError(describe, `${rule.kind} takes no retryAfter`);
    if (!wholeIn(rule.retryAfter, 0, MAX_RETRY_AFTER_SEC)) {
      throw specError(describe, `retryAfter must be whole seconds from 0 to ${MAX_RETRY_AFTER_SEC}`);
    }
  }
  if (rule.dripMs !== undefined) {
    if (rule.kind !== "slowBody") throw specError(describe, `${rule.kind} takes no dripMs`);
    if (!wholeIn(rule.dripMs, 1, MAX_DRIP_MS))
      throw specError(describe, `dripMs must be whole ms from 1 to ${MAX_DRIP_MS}`);
  }
}

interface ActiveRule {
  readonly rule: Readonly<FaultRule>;
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

  /** The rule that fires for this request, if any; counts the request against the matching rules. */
  take(action: string, jobId: string | undefined): Readonly<FaultRule> | undefined {
    let chosen: Readonly<FaultRule> | undefined;
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.jobId !== undefined && rule.jobId !== jobId) continue;
      if (rule.action !== undefined && rule.action !== action) continue;
      active.seen += 1;
      if (chosen !== undefined) continue;
      if (active.seen > (rule.after ?? 0) && active.applied < (rule.count ?? 1)) {
        active.applied += 1;
        chosen = rule;
      }
    }
    return chosen;
  }
}
