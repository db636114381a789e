import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clean } from "../../src/core/text.js";
import { runCaptured } from "../helpers/cli.js";

const HOSTILE = "::set-output name=x::y\n::error::x\r\n  ##[warning]y\u2028::add-mask::z";
let server: Server;
let url: string;

beforeAll(async () => {
  // Verifies nothing: answers every request with a finished check full of hostile text.
  server = createServer((_req, res) => {
    const item = {
      CheckItemName: HOSTILE,
      Description: HOSTILE,
      CheckResult: "failed",
      FailureReason: HOSTILE,
      Solution: HOSTILE,
      ErrorLog: [HOSTILE],
      HelpDoc: [HOSTILE],
      SkipInfo: HOSTILE,
    };
    const step = {
      StepNo: 0,
      StepId: "ConnectDBCheck",
      StepName: HOSTILE,
      StepStatus: "failed",
      StepMessage: HOSTILE,
      HasSkipped: false,
      DetailCheckItems: [item],
    };
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        Response: {
          Status: "success",
          CheckFlag: "checkNotPass",
          BriefMsg: HOSTILE,
          StepInfo: [step],
          RequestId: HOSTILE,
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function commandLines(text: string): string[] {
  return text.split(/\r\n|[\r\n\u0085\u2028\u2029]/).filter((line) => /^\s*::/.test(line) || line.includes("##["));
}

describe("API text printed by the CLI in a GitHub workflow", () => {
  it.each([["text"], ["json"]])("never forms a workflow command (--output %s)", async (output) => {
    const run = await runCaptured(["wait", "dts-1ewjspuw", "--endpoint", url, "--output", output, "--verbose"]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("set-output name=x::y");
    expect(commandLines(run.stdout)).toEqual([]);
    expect(commandLines(run.stderr)).toEqual([]);
    // The JSON carries the text as every output shows it: on one line, cleaned when it was read.
    if (output === "json") expect(JSON.parse(run.stdout).jobs[0].briefMsg).toBe(clean(HOSTILE));
  });
});
