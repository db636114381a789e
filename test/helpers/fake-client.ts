import type { CallOptions, CallResult, DtsClient } from "../../src/tencent/client.js";
import { ApiError, type ApiErrorFields, kindOfCode } from "../../src/tencent/errors.js";
import type { CheckStep, DescribeMigrationCheckJobResponse, DtsAction } from "../../src/tencent/types.js";

/**
 * One scripted answer: a response, an error, or an exchange that takes time (it receives the
 * request's signal and must honour it, as the real client does).
 */
export type Answer =
  | DescribeMigrationCheckJobResponse
  | ApiError
  | { readonly RequestId: string; readonly [field: string]: unknown }
  | ((signal: AbortSignal | undefined) => Promise<ApiError | { readonly RequestId: string }>);

let requestSeq = 0;
const requestId = () => `req-${++requestSeq}`;

export function checkAnswer(
  status: string | null,
  checkFlag: string | null = status === "success" ? "checkPass" : "",
  stepInfo: CheckStep[] | null = [],
): DescribeMigrationCheckJobResponse {
  return { Status: status, CheckFlag: checkFlag, BriefMsg: status ?? null, StepInfo: stepInfo, RequestId: requestId() };
}

export function apiError(code: string, extra: Partial<ApiErrorFields> = {}): ApiError {
  const kind = kindOfCode(code);
  return new ApiError({ kind, code, message: `${code} from the fake`, maybeApplied: kind === "transient", ...extra });
}

export function step(
  no: number,
  status: string,
  items: { result: string; name: string }[] = [],
  skipped = false,
): CheckStep {
  return {
    StepNo: no,
    StepId: `Step${no}`,
    StepName: `Step ${no}`,
    StepStatus: status,
    StepMessage: "",
    HasSkipped: skipped,
    DetailCheckItems: items.map((item) => ({
      CheckItemName: item.name,
      CheckResult: item.result,
      Description: "",
      FailureReason: "",
      Solution: "",
      ErrorLog: [],
      HelpDoc: [],
      SkipInfo: "",
    })),
  };
}

export interface Call {
  readonly action: DtsAction;
  readonly jobId: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly at: number;
}

export interface MigrationShape {
  readonly lag?: unknown;
  readonly gap?: unknown;
  /** Action.AllowedAction; undefined leaves the Action object out. */
  readonly allowed?: unknown;
  readonly trade?: string;
  readonly errors?: { Code: string; Solution: string; ErrorLog: string; HelpDoc: string }[];
  readonly steps?: { StepId: string; StepName: string; Status: string; Percent: number }[];
}

/** A DescribeMigrationDetail answer as the API sends it. */
export function migrationAnswer(status: string | null, shape: MigrationShape = {}) {
  return {
    JobId: "dts-1ewjspuw",
    Status: status,
    BriefMsg: "",
    StepInfo: {
      StepAll: 3,
      StepNow: 3,
      SecondsBehindMaster: "lag" in shape ? shape.lag : 0,
      MasterSlaveDistance: "gap" in shape ? shape.gap : 0,
      StepInfo: shape.steps ?? [
        { StepNo: 1, StepId: "dumper", StepName: "dumper", Status: "finished", Percent: 100 },
        { StepNo: 2, StepId: "loader", StepName: "loader", Status: "finished", Percent: 100 },
        { StepNo: 3, StepId: "sinker", StepName: "sinker", Status: "running", Percent: 100 },
      ],
    },
    ...("allowed" in shape ? { Action: { AllAction: [], AllowedAction: shape.allowed } } : {}),
    TradeInfo: { TradeStatus: shape.trade ?? "normal" },
    ErrorInfo: shape.errors ?? [],
    RequestId: requestId(),
  };
}

/**
 * A scripted DTS: each (action, job) pair answers from its list in turn; the last answer repeats.
 * Records every call, so tests can count requests and check their order.
 */
export class FakeClient implements Pick<DtsClient, "call" | "adoptServerClock"> {
  readonly calls: Call[] = [];
  readonly adoptedServerTimes: number[] = [];
  readonly #scripts = new Map<string, Answer[]>();

  constructor(private readonly now: () => number) {}

  script(action: DtsAction, jobId: string, answers: Answer[]): this {
    this.#scripts.set(`${action} ${jobId}`, [...answers]);
    return this;
  }

  count(action: DtsAction, jobId?: string): number {
    return this.calls.filter((call) => call.action === action && (jobId === undefined || call.jobId === jobId)).length;
  }

  async call<A extends DtsAction>(
    action: A,
    params: Readonly<Record<string, string | number>>,
    options: CallOptions = {},
  ): Promise<CallResult<A>> {
    const jobId = String(params.JobId ?? "");
    this.calls.push({ action, jobId, params, at: this.now() });
    const answers = this.#scripts.get(`${action} ${jobId}`);
    if (!answers || answers.length === 0) throw new Error(`no script for ${action} ${jobId}`);
    const scripted = answers.length > 1 ? answers.shift() : answers[0];
    const answer = typeof scripted === "function" ? await scripted(options.signal) : scripted;
    if (answer instanceof ApiError) return { ok: false, error: answer };
    return { ok: true, value: answer as CallResult<A> extends { value: infer V } ? V : never, httpStatus: 200 };
  }

  adoptServerClock(serverTimeMs: number): void {
    this.adoptedServerTimes.push(serverTimeMs);
  }
}
