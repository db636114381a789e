import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ENV, runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/*
 * Outside text with format characters in it, end to end: a session token the API echoes with a
 * zero-width space and a soft hyphen inside, and a bidi override that would reorder the verdict.
 */

const JOB = "dts-1ewjspuw";
const TOKEN = "sessTok3nAbCdEfGhIjKlMnOpQrStUvWxYz012345";
const HIDDEN = `${TOKEN.slice(0, 12)}\u200b${TOKEN.slice(12, 24)}\u00ad${TOKEN.slice(24)}`;
const FORMAT = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const simulator = simulatorsClosedAfterEach();
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("outside text with format characters", () => {
  it("a token echoed with a zero-width space inside is redacted everywhere; no bidi control gets out", async () => {
    const sim = await simulator({
      answer: () => ({
        body: JSON.stringify({
          Response: {
            Error: { Code: "AuthFailure.TokenFailure", Message: `token ${HIDDEN} refused \u202eDESSAP\u202c` },
            RequestId: `r-${HIDDEN}`,
          },
        }),
      }),
    });
    const folder = mkdtempSync(join(tmpdir(), "dts-gate-outside-"));
    folders.push(folder);
    const junit = join(folder, "junit.xml");
    const env = { ...DEMO_ENV, TENCENTCLOUD_SESSION_TOKEN: TOKEN };
    const args = ["wait", JOB, "--endpoint", sim.url, "--interval", "0.02", "--junit", junit];
    const text = await runCaptured(args, { env });
    const json = await runCaptured([...args, "--output", "json"], { env });
    expect(text.code).toBe(4);
    expect(json.code).toBe(4);
    const everything = [text.stdout, text.stderr, json.stdout, json.stderr, readFileSync(junit, "utf8")];
    for (const output of everything) {
      expect(output).not.toMatch(FORMAT);
      expect(output).not.toContain(TOKEN.slice(0, 12));
      expect(output).not.toContain(TOKEN.slice(24));
    }
    expect(text.stdout).toContain("token *** refused DESSAP");
  });
});
