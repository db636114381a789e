import fc from "fast-check";

/*
 * Generators of DescribeMigrationCheckJob answers as a hostile or broken service might send them:
 * every documented field is sometimes of its documented type, sometimes any JSON value, null or
 * absent, and texts carry control characters, escape sequences and workflow commands.
 */

const HOSTILE_TEXTS = [
  "success",
  "checkPass",
  "succ\u0007ess",
  "success\r",
  "\u001b]52;c;ZXZpbA==\u0007",
  "\u001b]0;title\u0007",
  "\r::error::forged",
  "\r::add-mask::x",
  "##[error]legacy",
  "line\nbreak",
  "\u2028sep",
  "\ud800",
  "",
  "warning",
  "failed",
];

export const anyJson = fc.jsonValue({ maxDepth: 2 });

export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXTS) },
);

/** A field: usually as documented, else any JSON value, null, or absent (undefined). */
export function field<T>(documented: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: documented },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A word as documented, or the same word in another case ("CHECKPASS", "Success"): never the word itself. */
function caseVariant(words: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...words.filter((one) => /[a-z]/i.test(one))), fc.array(fc.boolean(), { minLength: 1 }))
    .map(([one, flips]) =>
      [...one].map((char, index) => (flips[index % flips.length] ? char.toUpperCase() : char.toLowerCase())).join(""),
    )
    .filter((variant) => !words.includes(variant));
}

function word(...words: string[]): fc.Arbitrary<unknown> {
  return field(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...words) },
      { weight: 1, arbitrary: caseVariant(words) },
      { weight: 1, arbitrary: text },
    ),
  );
}

export const checkItem = fc.record({
  CheckItemName: field(text),
  Description: field(text),
  CheckResult: word("pass", "failed", "warning"),
  FailureReason: field(text),
  Solution: field(text),
  ErrorLog: field(fc.array(field(text), { maxLength: 3 })),
  HelpDoc: field(fc.array(field(text), { maxLength: 3 })),
  SkipInfo: field(text),
});

export const checkStep = fc.record({
  StepNo: field(fc.integer({ min: -1, max: 20 })),
  StepId: field(text),
  StepName: field(text),
  StepStatus: word("pass", "failed", "warning", "notStarted", "blocked"),
  StepMessage: field(text),
  HasSkipped: field(fc.boolean()),
  DetailCheckItems: field(fc.array(field(checkItem), { maxLength: 4 })),
});

/** The `Response` of an answer: RequestId is a string (the client guarantees it), the rest anything. */
export const describeAnswer = fc.record({
  RequestId: fc.string({ maxLength: 8 }),
  Status: word("notStarted", "running", "success", "failed"),
  CheckFlag: word("checkPass", "checkNotPass", ""),
  BriefMsg: field(text),
  StepInfo: field(fc.array(field(checkStep), { maxLength: 8 })),
});

/** The answer exactly as the contract's verdict reads it: exit 0 needs both words, typed and exact. */
export function passesExactly(answer: { readonly [field: string]: unknown }): boolean {
  return answer.Status === "success" && answer.CheckFlag === "checkPass";
}

const migrationStep = fc.record({
  StepNo: field(fc.integer({ min: 0, max: 5 })),
  StepId: field(fc.constantFrom("dumper", "loader", "sinker")),
  StepName: field(text),
  Status: word("success", "failed", "running", "notStarted", "finished", "skipped"),
  Percent: field(fc.integer({ min: -1, max: 100 })),
});

const lagOrGap = field(fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant("0"), fc.double({ noNaN: false })));

/** A DescribeMigrationDetail `Response` of any shape, leaning to the states the gate judges. */
export const migrationDetailAnswer = fc.record({
  RequestId: fc.string({ maxLength: 8 }),
  Status: word(
    "readyComplete",
    "success",
    "running",
    "completing",
    "failed",
    "manualPaused",
    "resumableErr",
    "checkPass",
    "Success",
  ),
  BriefMsg: field(text),
  StepInfo: field(
    fc.record({
      StepAll: field(fc.integer({ min: 0, max: 5 })),
      StepNow: field(fc.integer({ min: 0, max: 5 })),
      SecondsBehindMaster: lagOrGap,
      MasterSlaveDistance: lagOrGap,
      StepInfo: field(fc.array(field(migrationStep), { maxLength: 4 })),
    }),
  ),
  Action: field(
    fc.record({
      AllowedAction: field(fc.array(field(fc.constantFrom("complete", "stop", "Complete")), { maxLength: 3 })),
    }),
  ),
  TradeInfo: field(fc.record({ TradeStatus: word("normal", "isolated", "offlining") })),
  ErrorInfo: field(fc.array(field(fc.record({ Code: field(text), Solution: field(text), ErrorLog: field(text) })))),
});

/**
 * The readiness rule, read straight off a raw answer: what the gate may call ready (before the settle).
 * Written from the rule, not from the gate's code, so that the two can disagree.
 */
export function readyByRule(answer: Record<string, unknown>, maxLag: number, maxGap: number): boolean {
  const step = answer.StepInfo;
  const action = answer.Action;
  if (answer.Status !== "readyComplete") return false;
  if (action !== undefined && action !== null) {
    if (typeof action !== "object" || Array.isArray(action)) return false;
    const allowed = (action as Record<string, unknown>).AllowedAction;
    if (allowed !== undefined && allowed !== null && !(Array.isArray(allowed) && allowed.includes("complete"))) {
      return false;
    }
  }
  if (typeof step !== "object" || step === null || Array.isArray(step)) return false;
  const { SecondsBehindMaster: lag, MasterSlaveDistance: gap } = step as Record<string, unknown>;
  const within = (value: unknown, max: number) => typeof value === "number" && value >= 0 && value <= max;
  return within(lag, maxLag) && within(gap, maxGap);
}

/** A clean answer of a job ready to cut over. */
export function readyAnswer(): Record<string, unknown> & { RequestId: string } {
  return {
    RequestId: "ready",
    Status: "readyComplete",
    StepInfo: { StepAll: 3, StepNow: 3, SecondsBehindMaster: 0, MasterSlaveDistance: 0, StepInfo: [] },
    Action: { AllowedAction: ["complete"] },
    TradeInfo: { TradeStatus: "normal" },
    ErrorInfo: [],
  };
}

/** A ready answer with one field the readiness rule reads replaced by any JSON value (or removed). */
export const nearlyReadyAnswer = fc
  .record({
    where: fc.constantFrom("Status", "Action", "AllowedAction", "SecondsBehindMaster", "MasterSlaveDistance"),
    value: fc.oneof(anyJson, fc.constantFrom(-1, "0", "complete", ["stop"], undefined)),
  })
  .map(({ where, value }) => {
    const answer = readyAnswer();
    const step = answer.StepInfo as Record<string, unknown>;
    if (where === "Status" || where === "Action") answer[where] = value;
    else if (where === "AllowedAction") answer.Action = { AllowedAction: value };
    else step[where] = value;
    return answer;
  });
