/** A JUnit test case as the report models it before writing: the counts are taken from these. */
export type CaseResult =
  | { readonly kind: "passed" }
  | { readonly kind: "skipped"; readonly message: string }
  | { readonly kind: "failure" | "error"; readonly type: string; readonly message: string; readonly text?: string };

export interface TestCase {
  readonly name: string;
  readonly result: CaseResult;
  readonly systemOut?: string;
}
