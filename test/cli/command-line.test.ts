import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DemoOptions } from "../../src/cli/demo.js";
import { editDistance, nearestName } from "../../src/cli/help.js";
import { type Commands, reportUnexpected, runCli } from "../../src/cli/main.js";
import { runSimulate, type SimulateArgs } from "../../src/cli/simulate.js";
import type { WaitConfig } from "../../src/cli/wait.js";
import { capturingIO } from "../helpers/cli.js";
import { propertyOptions } from "../helpers/property.js";

/*
 * The command line as runCli parses it, with no network: loadCommands returns a stub that records
 * the config `wait` would run with.
 */

interface Parsed {
  readonly code: number;
  readonly config: WaitConfig | undefined;
  readonly demo: DemoOptions | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

async function parse(argv: readonly string[], env: Record<string, string> = {}): Promise<Parsed> {
  const captured = capturingIO({ env });
  let config: WaitConfig | undefined;
  let demo: DemoOptions | undefined;
  const stub = {
    runWait: async (waitConfig: WaitConfig) => {
      config = waitConfig;
      return 0;
    },
    runSimulate: async () => 0,
    runDemo: async (demoOptions: DemoOptions) => {
      demo = demoOptions;
      return 0;
    },
  } as unknown as Commands;
  const code = await runCli(argv, captured.io, async () => stub);
  return { code, config, demo, stdout: captured.stdout(), stderr: captured.stderr() };
}

const ID = "dts-1ewjspuw";
const ID2 = "dts-bbbbbbbb";
const BOOLEANS = {
  "fail-on-warning": "failOnWarning",
  "create-check": "createCheck",
  start: "start",
  complete: "complete",
  verbose: "verbose",
} as const;
const VALUE_OPTIONS = [
  "--endpoint",
  "--region",
  "--interval",
  "--max-interval",
  "--timeout",
  "--rate",
  "--output",
  "--redis-url",
  "--request-timeout",
  "--until",
  "--max-lag",
  "--max-gap",
  "--settle",
];

/** Exit 2 with a message on stderr; with --output json, exactly one UsageError document on stdout. */
function expectUsageError(run: Parsed, json: boolean) {
  expect(run.code).toBe(2);
  expect(run.config).toBeUndefined();
  expect(run.stderr).toMatch(/^dts-gate: .+/);
  if (!json) {
    expect(run.stdout).toBe("");
    return;
  }
  const document = JSON.parse(run.stdout);
  expect(document).toMatchObject({ passed: false, error: { code: "UsageError" }, jobs: [] });
  expect(document.reason).toBe(document.error.message);
}

describe("wait's command line", () => {
  it("reads every option, durations with units", async () => {
    const run = await parse([
      "wait",
      ID,
      "--endpoint=http://127.0.0.1:9",
      "--region",
      "ap-guangzhou",
      "--interval",
      "500ms",
      "--timeout=1h30m",
      "--request-timeout",
      "2.5",
      "--rate",
      "7",
      "--output",
      "json",
      "--fail-on-warning=YES",
      "--create-check=0",
      "--start",
      "--no-verbose",
      "--redis-url",
      "redis://127.0.0.1:6379",
    ]);
    expect(run.code).toBe(0);
    expect(run.config).toMatchObject({
      jobIds: [ID],
      region: "ap-guangzhou",
      intervalMs: 500,
      timeoutMs: 5_400_000,
      requestTimeoutMs: 2500,
      rate: 7,
      output: "json",
      failOnWarning: true,
      createCheck: false,
      start: true,
      verbose: false,
    });
    expect(run.config?.endpoint.href).toBe("http://127.0.0.1:9/");
    expect(run.config?.redisUrl?.href).toBe("redis://127.0.0.1:6379");
  });

  it("applies the defaults", async () => {
    const run = await parse(["wait", ID]);
    expect(run.config).toMatchObject({ intervalMs: 5000, timeoutMs: 1_800_000, requestTimeoutMs: 10_000, rate: 20 });
    expect(run.config?.endpoint.href).toBe("https://dts.tencentcloudapi.com/");
  });

  it("quotes a bad value as typed, and prints one JSON document for --output json", async () => {
    const text = await parse(["wait", ID, "--interval", "5 min"]);
    expectUsageError(text, false);
    expect(text.stderr).toContain('not "5 min"');
    expectUsageError(await parse(["wait", ID, "--output", "json", "--rate", "0x10"]), true);
    expectUsageError(await parse(["--output=json", "wait", "--bogus"]), true);
    expectUsageError(await parse(["wait", "--output", "json"]), true);
    expectUsageError(await parse(["wait", ID, "--output", "xml"]), false);
  });

  it("refuses credentials in the endpoint and a bad Redis URL without echoing them", async () => {
    for (const argv of [
      ["wait", ID, "--endpoint", "https://user:hunter22@dts.tencentcloudapi.com", "--output", "json"],
      ["wait", ID, "--endpoint=https://user:hunter22@bad host", "--output", "json"],
      ["wait", ID, "--redis-url", "redis://:hunter22%zz@127.0.0.1", "--output", "json"],
    ]) {
      const run = await parse(argv);
      expectUsageError(run, true);
      expect(run.stdout + run.stderr, argv.join(" ")).not.toContain("hunter22");
    }
  });

  it("takes no camelCase twin, no empty value, and keeps ids as typed", async () => {
    // yargs would read --failOnWarning=yes as the boolean, false.
    expectUsageError(await parse(["wait", ID, "--failOnWarning=yes"]), false);
    expectUsageError(await parse(["wait", ID, "--requestTimeout", "5"]), false);
    // yargs would make an object of it.
    expect((await parse(["wait", ID, "--region.x=1"])).stderr).toContain("Unknown argument: region.x");
    const empty = await parse(["wait", ID, "--region="]);
    expectUsageError(empty, false);
    expect(empty.stderr).toContain('--region needs a value, not ""');
    const number = await parse(["wait", "1e3"]);
    expectUsageError(number, false);
    expect(number.stderr).toContain('invalid job id "1e3"');
  });

  it("refuses a lone -, which yargs would drop", async () => {
    const run = await parse(["wait", ID, "-"]);
    expectUsageError(run, false);
    expect(run.stderr).toContain('unexpected "-"');
  });

  it("simulate quotes a bad number as typed, before it listens", async () => {
    for (const [option, value] of [
      ["--port", "abc"],
      ["--step-ms", "1e3"],
      ["--rate", "-1"],
      ["--clock-offset", "soon"],
    ] as const) {
      let stderr = "";
      const args = {
        port: "0",
        host: "127.0.0.1",
        scenario: "pass",
        "step-ms": "1",
        "migrate-ms": "1000",
        rate: "20",
        "clock-offset": "0",
      };
      const code = await runSimulate({ ...args, [option.slice(2)]: value } as SimulateArgs, {
        stdout: { write: () => {} },
        stderr: {
          write: (text) => {
            stderr += text;
          },
        },
        env: {},
        onSignal: () => () => {},
      });
      expect(code, option).toBe(2);
      expect(stderr).toContain(`${option} must be`);
      expect(stderr).toContain(`not ${JSON.stringify(value)}`);
    }
  });

  it("keeps --version and -h", async () => {
    const version = await parse(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await parse(["wait", "-h"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--request-timeout");
    expect(help.config).toBeUndefined();
  });
});

describe("help that helps", () => {
  it("a usage error points at the help of the command in use", async () => {
    const inWait = await parse(["wait", ID, "--interval", "soon"]);
    expectUsageError(inWait, false);
    expect(inWait.stderr).toContain("Run dts-gate wait --help for the options.");
    expect((await parse(["demo", "--scenario", "nope"])).stderr).toContain("Run dts-gate demo --help");
    expect((await parse(["simulate", "--port"])).stderr).toContain("Run dts-gate simulate --help");
    const none = await parse(["--region", "x"]);
    expect(none.stderr).toContain("Run dts-gate --help for the commands, dts-gate help COMMAND");
  });

  it("dts-gate help COMMAND is dts-gate COMMAND --help; help alone lists the commands", async () => {
    for (const [command, option] of [
      ["wait", "--request-timeout"],
      ["demo", "--scenario"],
      ["simulate", "--fault"],
    ] as const) {
      const help = await parse(["help", command]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`dts-gate ${command}`);
      expect(help.stdout, command).toContain(option);
      expect(help.config).toBeUndefined();
    }
    const all = await parse(["help"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/Commands:[\s\S]*dts-gate help \[command\][\s\S]*dts-gate completion/);
    const typo = await parse(["help", "wiat"]);
    expectUsageError(typo, false);
    expect(typo.stderr).toContain('no command "wiat" (did you mean wait?)');
  });

  it("a mistyped option names the nearest one, in the message and the JSON document", async () => {
    const text = await parse(["wait", ID, "--timout", "3"]);
    expectUsageError(text, false);
    expect(text.stderr).toContain("Unknown argument: timout (did you mean --timeout?)");
    const json = await parse(["wait", ID, "--output", "json", "--fail-on-warnings"]);
    expectUsageError(json, true);
    expect(JSON.parse(json.stdout).reason).toContain("did you mean --fail-on-warning?");
    expect((await parse(["demo", "--scenaro", "pass"])).stderr).toContain("did you mean --scenario?");
    expect((await parse(["simulate", "--prot", "0"])).stderr).toContain("did you mean --port?");
    // Only the options of the command in use, and only near ones.
    expect((await parse(["demo", "--redis-ur", "x"])).stderr).not.toContain("did you mean");
    expect((await parse(["wait", ID, "--zzzzzzzz"])).stderr).not.toContain("did you mean");
    // A valid --no-NAME is no typo.
    expect((await parse(["wait", ID, "--no-verbose", "--intervall", "1"])).stderr).toMatch(
      /Unknown argument: intervall \(did you mean --interval\?\)\n/,
    );
  });

  it("edit distance: 0 only for the same word, symmetric, a swap of neighbours is one edit", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max([...a].length, [...b].length));
      }),
      propertyOptions(100),
    );
    expect(editDistance("wiat", "wait")).toBe(1);
    expect(editDistance("timout", "timeout")).toBe(1);
    expect(nearestName("redis-ur", ["interval", "output", "junit"])).toBeUndefined();
  });
});

describe("shell completion (yargs' own)", () => {
  it("prints a completion script that calls dts-gate back", async () => {
    const script = await parse(["completion"]);
    expect(script.code).toBe(0);
    expect(script.stdout).toContain("###-begin-dts-gate-completions-###");
    expect(script.stdout).toContain("dts-gate --get-yargs-completions");
  });

  it("completes commands, a command's options and --scenario's values", async () => {
    const complete = async (...words: string[]) => {
      const run = await parse(["--get-yargs-completions", ...words]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      // As the shell's script does: it keeps the words that start with the one being typed.
      const typed = words.at(-1) ?? "";
      return run.stdout.split("\n").filter((word) => word !== "" && word.startsWith(typed));
    };
    expect(await complete("wa")).toEqual(["wait"]);
    expect(await complete("wait", "--ti")).toEqual(["--timeout"]);
    expect(await complete("wait", ID, "--fail-")).toEqual(["--fail-on-warning", "--fail-fast"]);
    expect(await complete("demo", "--ju")).toEqual(["--junit"]);
    expect(await complete("demo", "--scenario", "not")).toEqual(["not-pass"]);
    // A half-typed boolean value is no error while completing.
    expect(await complete("wait", "--start=ma")).toEqual([]);
  });
});

describe("demo's command line", () => {
  it("takes wait's output options: --output, --junit, --fail-on-warning, --interval, --verbose", async () => {
    const run = await parse([
      "demo",
      "--scenario",
      "pass",
      "--output",
      "json",
      "--junit",
      "demo.xml",
      "--fail-on-warning=yes",
      "--interval",
      "250ms",
      "--verbose",
      "--timeout",
      "1m",
    ]);
    expect(run.code).toBe(0);
    expect(run.demo).toEqual({
      scenario: "pass",
      output: "json",
      junitPath: "demo.xml",
      failOnWarning: true,
      intervalMs: 250,
      verbose: true,
      quiet: false,
      stepMs: 300,
      migrateMs: 4000,
      timeoutMs: 60_000,
      keyless: false,
    });
    const defaults = await parse(["demo"]);
    expect(defaults.demo).toEqual({
      scenario: "warning",
      output: "text",
      failOnWarning: false,
      intervalMs: 500,
      verbose: false,
      quiet: false,
      stepMs: 300,
      migrateMs: 4000,
      timeoutMs: 15_000,
      keyless: false,
    });
  });

  it("reads them as strictly as wait does", async () => {
    for (const argv of [
      ["demo", "--output", "xml"],
      ["demo", "--output", "json", "--interval", "0"],
      ["demo", "--output", "json", "--junit"],
      ["demo", "--output", "json", "--fail-on-warning=maybe"],
      ["demo", "--output", "json", "--start"],
      ["demo", "--output", "json", "--verbose", "--interval"],
    ]) {
      const run = await parse(argv);
      expectUsageError(run, argv.includes("json"));
      expect(run.demo, argv.join(" ")).toBeUndefined();
    }
  });
});

describe("wait's command line (properties)", () => {
  // Generated casing of every word the CLI takes, and words it does not.
  const word = fc
    .constantFrom("true", "false", "yes", "no", "on", "off", "1", "0", "y", "n", "", "2", "truthy", "nope")
    .chain((base) =>
      fc
        .array(fc.boolean(), { minLength: base.length, maxLength: base.length })
        .map((upper) => [...base].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join("")),
    );
  const MEANINGS: Record<string, boolean> = {
    true: true,
    yes: true,
    on: true,
    "1": true,
    false: false,
    no: false,
    off: false,
    "0": false,
  };

  it("a boolean spelling gives the meaning it spells, or exit 2", async () => {
    // Invariant: --NAME=WORD is true/false exactly as WORD says (any case); any other WORD is exit 2.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(BOOLEANS)), word, async (name, spelling) => {
        const run = await parse(["wait", ID, `--${name}=${spelling}`]);
        const meaning = MEANINGS[spelling.toLowerCase()];
        if (meaning === undefined) {
          expectUsageError(run, false);
          expect(run.stderr).toContain(JSON.stringify(spelling));
        } else {
          expect(run.code).toBe(0);
          expect(run.config?.[BOOLEANS[name as keyof typeof BOOLEANS]]).toBe(meaning);
        }
      }),
      propertyOptions(50),
    );
  });

  it("every id after -- is waited for, wherever -- stands", async () => {
    // Invariant: the ids before and after `--` are all in the config, in order, once each.
    const ids = fc.uniqueArray(fc.stringMatching(/^dts-[a-z0-9]{8}$/), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(ids, fc.nat(), async (jobIds, cut) => {
        const at = cut % (jobIds.length + 1);
        const run = await parse(["wait", ...jobIds.slice(0, at), "--interval", "1", "--", ...jobIds.slice(at)]);
        expect(run.code).toBe(0);
        expect(run.config?.jobIds).toEqual(jobIds);
      }),
      propertyOptions(25),
    );
    // What follows -- is an id even when it looks like an option: a bad one, then.
    expectUsageError(await parse(["wait", ID, "--", "--start"]), false);
    expect((await parse(["wait", ID, "--", ID2])).config?.jobIds).toEqual([ID, ID2]);
  });

  it("an option without its value is exit 2, never a default", async () => {
    // Invariant: a value option last, or followed by another option, is exit 2.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VALUE_OPTIONS),
        fc.constantFrom<string[]>([], ["--start"], ["--interval", "1"], ["--", ID2]),
        fc.boolean(),
        async (option, after, asked) => {
          const json = asked && option !== "--output";
          const argv = ["wait", ID, ...(json ? ["--output", "json"] : []), option, ...after];
          expectUsageError(await parse(argv), json);
        },
      ),
      propertyOptions(40),
    );
  });

  it("never throws: any command line is exit 2 with a message, or a config", async () => {
    // Invariant: runCli resolves for any argv; exit 2 comes with a message (and with --output json,
    // one JSON document), exit 0 with the config recorded. Reproduce a failure with its seed.
    const token = fc.oneof(
      fc.constantFrom("wait", ID, ID2, "--", "--output", "json", "--output=json", "-h", "--no-start", "--start=on"),
      fc.constantFrom(...VALUE_OPTIONS, ...Object.keys(BOOLEANS).map((name) => `--${name}`)),
      fc.constantFrom("5", "1h", "0", "-1", "", "x", "redis://h", "https://a:b@h", "--no-interval", "--rate=1e3"),
      fc.string({ maxLength: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), async (rest) => {
        const argv = ["wait", ...rest];
        const run = await parse(argv);
        if (run.code === 2) {
          expect(run.stderr).toMatch(/^dts-gate: .+/);
          if (run.stdout !== "") {
            expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, error: { code: "UsageError" } });
          }
        } else if (run.config === undefined) {
          // --help: what yargs printed.
          expect(run.stdout).toContain("dts-gate");
        } else {
          expect(run.code).toBe(0);
          expect(run.config.jobIds.length).toBeGreaterThan(0);
        }
      }),
      propertyOptions(100),
    );
  });
});

describe("a failure runCli could not turn into a result", () => {
  it("is exit 4, with one JSON document when asked for, the environment's key redacted", () => {
    const captured = capturingIO({ env: { TENCENTCLOUD_SECRET_KEY: "keyThatMustNotShow" } });
    const { io } = captured;
    const bug = new TypeError("broke near keyThatMustNotShow");
    expect(reportUnexpected(bug, ["wait", ID, "--output", "json"], io)).toBe(4);
    expect(JSON.parse(captured.stdout())).toMatchObject({
      passed: false,
      error: { code: "UnexpectedError" },
      jobs: [],
    });
    expect(captured.stdout() + captured.stderr()).not.toContain("keyThatMustNotShow");
    captured.clear();
    expect(reportUnexpected(bug, ["wait", ID], io)).toBe(4);
    expect(captured.stdout()).toBe("");
    expect(captured.stderr()).toContain("unexpected error");
  });
});

describe("wait: --max-interval", () => {
  it("is six times --interval unless given, and may equal it (fixed polling)", async () => {
    expect((await parse(["wait", ID])).config).toMatchObject({ intervalMs: 5_000, maxIntervalMs: 30_000 });
    expect((await parse(["wait", ID, "--interval", "2"])).config?.maxIntervalMs).toBe(12_000);
    expect((await parse(["wait", ID, "--max-interval", "1m"])).config?.maxIntervalMs).toBe(60_000);
    expect((await parse(["wait", ID, "--interval", "3", "--max-interval", "3s"])).config).toMatchObject({
      intervalMs: 3_000,
      maxIntervalMs: 3_000,
    });
  });

  it("refuses one shorter than --interval, or not a duration, with exit 2, quoting it", async () => {
    for (const words of [
      ["--max-interval", "4"],
      ["--interval", "10", "--max-interval", "9.5"],
      ["--max-interval", "soon"],
      ["--max-interval", "0"],
    ]) {
      const run = await parse(["wait", ID, ...words]);
      expectUsageError(run, false);
      expect(run.stderr).toContain(JSON.stringify(words.at(-1)));
    }
    expect((await parse(["wait", ID, "--max-interval", "4"])).stderr).toContain("shorter than --interval");
  });
});

describe("wait: the phases after the check", () => {
  it("reads --until, --max-lag, --max-gap, --settle and --complete, with their defaults", async () => {
    const plain = await parse(["wait", ID]);
    expect(plain.config).toMatchObject({ until: "check", maxLagMs: 0, maxGapMB: 0, settleMs: 60_000, complete: false });
    const given = await parse([
      "wait",
      ID,
      "--until",
      "ready",
      "--max-lag",
      "30s",
      "--max-gap",
      "2.5",
      "--settle",
      "2m",
    ]);
    expect(given.config).toMatchObject({ until: "ready", maxLagMs: 30_000, maxGapMB: 2.5, settleMs: 120_000 });
    expect((await parse(["wait", ID, "--complete"])).config).toMatchObject({ until: "done", complete: true });
    expect((await parse(["wait", ID, "--until", "ready", "--complete"])).config?.until).toBe("done");
  });

  it("refuses a bad value with exit 2, quoting it", async () => {
    for (const [option, value] of [
      ["--until", "Ready"],
      ["--until", "started"],
      ["--max-lag", "-1"],
      ["--max-lag", "5 min"],
      ["--max-gap", "-1"],
      ["--max-gap", "1e3"],
      ["--max-gap", "0x10"],
      ["--settle", "soon"],
    ] as const) {
      const run = await parse(["wait", ID, option, value]);
      expectUsageError(run, false);
      expect(run.stderr).toContain(JSON.stringify(value));
    }
    expectUsageError(await parse(["wait", ID, "--complete=maybe"]), false);
  });
});
