import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INPUT_NAMES, readInputs } from "../../src/action/inputs.js";
import { ConfigError } from "../../src/tencent/errors.js";

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
