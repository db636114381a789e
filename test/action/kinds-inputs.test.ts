import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INPUT_NAMES, readInputs } from "../../src/action/inputs.js";
import { runAction } from "../../src/action/run.js";
import { ConfigError } from "../../src/tencent/errors.js";
import { fakeCore } from "./fake-core.js";
import { gateResult, jobReport } from "./fixtures.js";

const TASK = "dts-1ewjspuw-cmp-37skmii9";
const manifest = parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

/** The inputs as the runner gives them: action.yml's defaults, then the workflow's values. */
function read(values: Record<string, string>) {
  const given: Record<string, string> = { "secret-id": "AKIDexample", "secret-key": "exampleKey0123", ...values };
  return readInputs((name) => (given[name] ?? manifest.inputs[name]?.default ?? "").trim(), {});
}

describe("the Action's inputs for every kind of job", () => {
  it("compare is an input with a default, compare-conclusion an output", () => {
    expect(INPUT_NAMES).toContain("compare");
    expect(manifest.inputs.compare?.default).toBe("false");
    expect(manifest.outputs).toHaveProperty("compare-conclusion");
    expect(read({ "job-id": "dts-1ewjspuw", compare: "true" }).compare).toBe(true);
  });

  it("a compare task id runs with action.yml's defaults (until check among them)", () => {
    expect(read({ "job-id": `${TASK} sync-1ewjspuw` }).jobIds).toEqual([TASK, "sync-1ewjspuw"]);
  });

  it.each([
    [{ "job-id": TASK, until: "ready" }, /input until cannot apply to the consistency check/],
    [{ "job-id": TASK, "start-migration": "true" }, /input start-migration cannot apply/],
    [{ "job-id": TASK, compare: "yes" }, /input compare cannot apply/],
    [{ "job-id": "sync-1ewjspuw", complete: "true" }, /input complete cannot apply to the data sync job/],
    [{ "job-id": "sync-1ewjspuw", until: "done" }, /input until done cannot apply to the data sync job/],
  ])("%j is a configuration error", (values, message) => {
    expect(() => read(values)).toThrow(ConfigError);
    expect(() => read(values)).toThrow(message);
  });
});

describe("the Action's output compare-conclusion", () => {
  it("is the conclusion of the job that decided the gate, empty when it ran no consistency check", async () => {
    const compare = (conclusion: string) => ({
      taskId: `${conclusion}-task`,
      status: "success",
      conclusion,
      checkedTables: 1,
      differentTables: 0,
      skippedTables: 0,
      differentRows: 0,
      differences: [],
    });
    const jobs = [
      jobReport("dts-1ewjspuw", "pass", { outcome: "ready", compare: compare("same") }),
      jobReport("dts-abcdefgh", "pass", { outcome: "different", compare: compare("different") }),
    ];
    const fake = fakeCore({ "job-id": "dts-1ewjspuw dts-abcdefgh", "secret-id": "AKIDunit", "secret-key": "k3y" });
    const code = await runAction({
      core: fake.core,
      env: {},
      onSignal: () => () => {},
      run: async () => gateResult(jobs),
    });
    expect(code).toBe(1);
    expect(fake.outputs()["compare-conclusion"]).toBe("different");
    const plain = fakeCore({ "job-id": "dts-1ewjspuw", "secret-id": "AKIDunit", "secret-key": "k3y" });
    await runAction({
      core: plain.core,
      env: {},
      onSignal: () => () => {},
      run: async () => gateResult([jobReport("dts-1ewjspuw", "pass")]),
    });
    expect(plain.outputs()["compare-conclusion"]).toBe("");
  });
});
