import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MINIMUM_NODE, unsupportedNode } from "../../src/cli/node-version.js";
import { CLI, describeRun, runCliProcess } from "../helpers/process.js";

/** A preload that makes the process report an older Node than it is, as an old install would. */
const pretendNode = (version: string) =>
  `--import=data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`;

describe("the Node version", () => {
  it("is checked against 20.19, the package's engines", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(manifest.engines.node).toBe(`>=${MINIMUM_NODE.major}.${MINIMUM_NODE.minor}`);
    for (const version of ["20.19.0", "20.20.2", "21.0.0", "22.0.0", "24.11.1", "100.0.0"]) {
      expect(unsupportedNode(version), version).toBeUndefined();
    }
    for (const version of ["20.18.3", "18.20.4", "16.0.0", "4.9.1", "", "v20.19.0"]) {
      expect(unsupportedNode(version), version).toMatch(/^dts-gate needs Node\.js 20\.19 or later; this is Node\.js /);
    }
  });

  it("too old: the bundle says what it needs in one line and exits 2, before loading anything else", async () => {
    const run = await runCliProcess(CLI, ["demo"], {}, 10_000, [pretendNode("18.20.4")]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "dts-gate needs Node.js 20.19 or later; this is Node.js 18.20.4. Install a newer Node.js (https://nodejs.org) and run it again.\n",
    );
    const current = await runCliProcess(CLI, ["--version"], {}, 10_000, [pretendNode("20.19.0")]);
    expect(current.code, describeRun(current)).toBe(0);
  });
});
