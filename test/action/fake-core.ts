import type { ActionCore } from "../../src/action/run.js";

export type Call = [string, ...unknown[]];

/** A recording stand-in for @actions/core: every call in order, the summaries, the outputs. */
export function fakeCore(inputs: Record<string, string>, summary: "ok" | "missing" = "ok") {
  const calls: Call[] = [];
  const summaries: string[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
    };
  const core: ActionCore = {
    getInput: (name) => (inputs[name] ?? "").trim(),
    setSecret: record("setSecret"),
    getIDToken: async (audience) => {
      calls.push(["getIDToken", audience]);
      return `oidc-token-for-${audience}`;
    },
    info: record("info"),
    debug: record("debug"),
    error: record("error"),
    warning: record("warning"),
    notice: record("notice"),
    setFailed: record("setFailed"),
    setOutput: record("setOutput"),
    startGroup: record("startGroup"),
    endGroup: record("endGroup"),
    writeSummary: async (markdown) => {
      if (summary === "missing") throw new Error("Unable to find environment variable for $GITHUB_STEP_SUMMARY.");
      summaries.push(markdown);
    },
  };
  const outputs = () => Object.fromEntries(calls.filter((c) => c[0] === "setOutput").map((c) => [c[1], c[2]]));
  return { core, calls, summaries, outputs };
}
