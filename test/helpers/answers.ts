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

function word(...words: string[]): fc.Arbitrary<unknown> {
  return field(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: text }));
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
