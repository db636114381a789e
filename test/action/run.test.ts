import { describe, expect, it } from "vitest";
import { type ActionCore, type ActionDeps, runAction } from "../../src/action/run.js";
import type { RunConfig, RunHooks } from "../../src/app/run.js";
import type { StopSignal } from "../../src/cli/io.js";
import type { GateResult } from "../../src/core/types.js";
import { ConfigError } from "../../src/tencent/errors.js";
import { fakeCore } from "./fake-core.js";
import { gateResult, jobReport } from "./fixtures.js";
import { decodeEntities } from "./helpers.js";

const SECRET_KEY = "k3y-that-must-never-show";

const INPUTS = { "job-id": "dts-1ewjspuw", "secret-id": "AKIDunit", "secret-key": SECRET_KEY };

function deps(
  core: ActionCore,
  run: (config: RunConfig, hooks: RunHooks) => Promise<GateResult>,
  onSignal: ActionDeps["onSignal"] = () => () => {},
): ActionDeps {
  return { core, env: {}, onSignal, run };
}

describe("runAction", () => {
  it("masks the credentials before anything else, then outputs, summary, annotations, failure", async () => {
    const fake = fakeCore(INPUTS);
    let seen: RunConfig | undefined;
    const code = await runAction(
      deps(fake.core, async (config) => {
        seen = config;
        return gateResult([jobReport("dts-1ewjspuw", "not-pass")]);
      }),
    );
    expect(code).toBe(1);
    expect(seen?.jobIds).toEqual(["dts-1ewjspuw"]);
    expect(fake.calls.slice(0, 2)).toEqual([
      ["setSecret", "AKIDunit"],
      ["setSecret", SECRET_KEY],
    ]);
    expect(fake.calls.filter((c) => c[0] === "setSecret")).toHaveLength(2);
    const order = fake.calls.map((c) => c[0]).filter((name) => name !== "info" && name !== "setOutput");
    expect(order).toEqual(["setSecret", "setSecret", "startGroup", "endGroup", "error", "setFailed"]);
    expect(fake.outputs()).toMatchObject({ passed: "false", status: "success", "check-flag": "checkNotPass" });
    expect(fake.summaries).toHaveLength(1);
    expect(fake.calls.at(-1)).toEqual(["setFailed", "gate closed: a check did not pass"]);
  });

  it("a configuration error found as the run starts (Redis unreachable) fails the step with exit 2", async () => {
    const fake = fakeCore({ ...INPUTS, "redis-url": "redis://127.0.0.1:9" });
    const code = await runAction(
      deps(fake.core, async () => {
        throw new ConfigError("cannot reach Redis at redis://127.0.0.1:9");
      }),
    );
    expect(code).toBe(2);
    expect(fake.outputs()).toMatchObject({ passed: "false" });
    expect(fake.calls.at(-1)).toEqual(["setFailed", "dts-gate: cannot reach Redis at redis://127.0.0.1:9"]);
  });

  it("a summary that cannot be written is a debug line, not a failure", async () => {
    const fake = fakeCore(INPUTS, "missing");
    const code = await runAction(deps(fake.core, async () => gateResult([jobReport("dts-1ewjspuw", "pass")])));
    expect(code).toBe(0);
    expect(fake.calls).toContainEqual([
      "debug",
      "no job summary written: Unable to find environment variable for $GITHUB_STEP_SUMMARY.",
    ]);
    expect(fake.calls.some((c) => c[0] === "setFailed")).toBe(false);
    expect(fake.outputs().passed).toBe("true");
  });

  it("ends with the gate's exit code: 3 on timeout, 4 on an API error", async () => {
    for (const exitCode of [3, 4]) {
      const fake = fakeCore(INPUTS);
      const reason = exitCode === 3 ? "gate closed: no verdict before the timeout" : "gate closed: an error";
      const code = await runAction(
        deps(fake.core, async () =>
          gateResult([jobReport("dts-1ewjspuw", "pass", { outcome: exitCode === 3 ? "timeout" : "error" })], {
            passed: false,
            exitCode,
            reason,
          }),
        ),
      );
      expect(code).toBe(exitCode);
      expect(fake.calls.at(-1)).toEqual(["setFailed", reason]);
    }
  });

  it("a configuration error: exit 2, passed=false, the gate never runs", async () => {
    const fake = fakeCore({ ...INPUTS, timeout: "forever" });
    let ran = false;
    const code = await runAction(
      deps(fake.core, async () => {
        ran = true;
        return gateResult([]);
      }),
    );
    expect(code).toBe(2);
    expect(ran).toBe(false);
    expect(fake.outputs().passed).toBe("false");
    expect(fake.calls.at(-1)).toEqual([
      "setFailed",
      'dts-gate: input timeout must be a duration ≥ 0 in seconds (90, 2.5) or with units (500ms, 30s, 5m, 1h30m), not "forever"',
    ]);
  });

  it("SIGTERM aborts the wait and reports what is known, exit 143", async () => {
    const fake = fakeCore(INPUTS);
    let fire: ((signal: StopSignal) => void) | undefined;
    let unsubscribed = false;
    const onSignal: ActionDeps["onSignal"] = (handler) => {
      fire = handler;
      return () => {
        unsubscribed = true;
      };
    };
    const code = await runAction(
      deps(
        fake.core,
        (_config, hooks) =>
          new Promise((resolve) => {
            hooks.interrupt?.addEventListener("abort", () =>
              resolve(
                gateResult([jobReport("dts-1ewjspuw", "stuck", { outcome: "error" })], {
                  passed: false,
                  exitCode: 4,
                  interrupted: true,
                  reason: "gate closed: interrupted before every check had a verdict",
                }),
              ),
            );
            setTimeout(() => fire?.("SIGTERM"), 5);
          }),
        onSignal,
      ),
    );
    expect(code).toBe(143);
    expect(unsubscribed).toBe(true);
    expect(fake.outputs()).toMatchObject({ passed: "false", status: "running" });
    expect(fake.calls.at(-1)).toEqual([
      "setFailed",
      "gate closed: interrupted before every check had a verdict (SIGTERM)",
    ]);
  });

  it("a secret echoed by the API is redacted everywhere, and no API line can be a command", async () => {
    const fake = fakeCore(INPUTS);
    await runAction(
      deps(fake.core, async (_config, hooks) => {
        hooks.onNotice?.(`notice with ${SECRET_KEY}\n::error::x`);
        return gateResult([jobReport("dts-1ewjspuw", "not-pass", { briefMsg: `echo ${SECRET_KEY}\n::warning::w` })]);
      }),
    );
    const printed = fake.calls.filter((c) => c[0] !== "setSecret").map((c) => JSON.stringify(c));
    expect(printed.filter((line) => line.includes(SECRET_KEY))).toEqual([]);
    // The summary escapes `-` as a character reference: look at the text a reader sees.
    expect(fake.summaries).toHaveLength(1);
    expect(decodeEntities(fake.summaries.join(""))).toContain("echo ***");
    expect(decodeEntities(fake.summaries.join(""))).not.toContain(SECRET_KEY);
    expect(fake.outputs()["brief-msg"]).toBe("echo ***\n::warning::w");
    const infos = fake.calls.filter((c) => c[0] === "info").map((c) => String(c[1]));
    const commands = infos.filter((line) => /^\s*::/.test(line));
    expect(commands.every((line) => /^::(stop-commands::)?[0-9a-f]{32}(::)?$/.test(line))).toBe(true);
    expect(commands).toHaveLength(4);
    expect(infos).toContain(": :error::x");
    // renderReport puts the BriefMsg on one line: the command text is mid-line, inert.
    expect(infos).toContain("  echo *** ::warning::w");
  });

  it("a run that fails unexpectedly still sets every output and fails the step with exit 4", async () => {
    const fake = fakeCore(INPUTS);
    const code = await runAction(
      deps(fake.core, async () => {
        throw new TypeError("a bug in the gate");
      }),
    );
    expect(code).toBe(4);
    const outputs = fake.outputs();
    expect(outputs.passed).toBe("false");
    const result = JSON.parse(String(outputs.result));
    expect(result.jobs[0]).toMatchObject({ jobId: "dts-1ewjspuw", outcome: "error" });
    expect(result.jobs[0].error.code).toBe("UnexpectedError");
    expect(fake.calls.some((c) => c[0] === "setFailed" && String(c[1]).includes("a bug in the gate"))).toBe(true);
    expect(fake.summaries.join("")).toContain("gate closed");
  });

  it("a usage error's result output is the contract's one document", async () => {
    const fake = fakeCore({ ...INPUTS, "job-id": "not-a-job" });
    const code = await runAction(deps(fake.core, async () => gateResult([])));
    expect(code).toBe(2);
    const result = JSON.parse(String(fake.outputs().result));
    expect(result).toMatchObject({ passed: false, error: { code: "UsageError" }, jobs: [] });
    expect(result.reason).toContain("not-a-job");
  });
});
