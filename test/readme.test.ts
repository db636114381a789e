import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { runCli } from "../src/cli/main.js";
import { capturingIO } from "./helpers/cli.js";

/* The README as a new user reads it: its pipelines pasted into CI, its commands typed as shown. */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const README = readFileSync(`${ROOT}README.md`, "utf8");
const ACTION = parse(readFileSync(`${ROOT}action.yml`, "utf8")) as {
  inputs: Record<string, { required?: boolean }>;
  outputs: Record<string, unknown>;
};

/** The fenced code blocks, with their language. */
const BLOCKS = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, language = "", text = ""]) => ({
  language,
  text,
}));
const YAML_BLOCKS = BLOCKS.filter((block) => block.language === "yaml" || block.language === "yml");

type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
type Job = { outputs?: Record<string, string>; steps?: Step[] };

/** Every job of every workflow in the README. */
function workflowJobs(): Job[] {
  return YAML_BLOCKS.flatMap((block) => {
    const document = parse(block.text) as { jobs?: Record<string, Job> } | null;
    return Object.values(document?.jobs ?? {});
  });
}

const isOurAction = (uses: string | undefined) => uses?.startsWith("dts-gate/dts-gate@") === true;
/** A release tag or a commit SHA: what `uses:` and a git install must name. */
const PINNED_REF = /^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/;

describe("the README's YAML", () => {
  it("has GitHub and GitLab pipelines, and every YAML block parses", () => {
    expect(YAML_BLOCKS.length).toBeGreaterThanOrEqual(4);
    for (const block of YAML_BLOCKS) {
      const document = parseDocument(block.text);
      expect(
        document.errors.map((error) => error.message),
        block.text,
      ).toEqual([]);
    }
  });

  it("names only the Action's inputs under with:, gives the required ones, and pins the Action", () => {
    const steps = workflowJobs().flatMap((job) => job.steps ?? []);
    const ours = steps.filter((step) => isOurAction(step.uses));
    expect(ours.length).toBeGreaterThanOrEqual(3);
    const required = Object.entries(ACTION.inputs).filter(([, input]) => input.required === true);
    for (const step of ours) {
      expect(step.uses?.split("@")[1], step.uses).toMatch(PINNED_REF);
      for (const key of Object.keys(step.with ?? {})) expect(Object.keys(ACTION.inputs), key).toContain(key);
      for (const [name] of required) expect(Object.keys(step.with ?? {}), name).toContain(name);
    }
    for (const step of steps) if (step.uses?.includes("dts-gate")) expect(isOurAction(step.uses)).toBe(true);
  });

  it("reads only outputs that exist: steps.ID.outputs.* of the Action, needs.JOB.outputs.* of that job", () => {
    const text = YAML_BLOCKS.map((block) => block.text).join("\n");
    const stepOutputs = [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)];
    expect(stepOutputs.length).toBeGreaterThan(0);
    const steps = workflowJobs().flatMap((job) => job.steps ?? []);
    for (const [reference, id, output = ""] of stepOutputs) {
      expect(isOurAction(steps.find((step) => step.id === id)?.uses), reference).toBe(true);
      expect(Object.keys(ACTION.outputs), reference).toContain(output);
    }
    for (const block of YAML_BLOCKS) {
      const jobs = (parse(block.text) as { jobs?: Record<string, Job> } | null)?.jobs ?? {};
      for (const [reference, job = "", output = ""] of block.text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect(Object.keys(jobs[job]?.outputs ?? {}), reference).toContain(output);
      }
    }
  });
});

describe("the README's install instructions", () => {
  it("pin every install and npx of dts-gate: a release tag or commit of the repository, or a versioned tarball", () => {
    // A command runs to the end of its line, code span or quote, or to a shell comment or operator.
    const commands = [...README.matchAll(/\b(?:npx|npm (?:install|i|exec|x))\b[^`'\n]*/g)].map(
      ([command]) => command.split(/\s#|&&|;|\|/)[0] ?? "",
    );
    expect(commands.length).toBeGreaterThan(4);
    const pinned = /^(github:dts-gate\/dts-gate#(v\d+\.\d+\.\d+|[0-9a-f]{40})|\S*\/dts-gate-\d+\.\d+\.\d+\.tgz)$/;
    for (const command of commands) {
      const [tool, ...rest] = command.trim().split(/\s+/);
      // npx runs its first word (the rest are the command's arguments); npm install takes packages.
      const words = (tool === "npx" ? rest : rest.slice(1)).filter((word) => !word.startsWith("-"));
      const packages = tool === "npx" ? words.slice(0, 1) : words;
      for (const word of packages.filter((name) => name.includes("dts-gate"))) expect(word, command).toMatch(pinned);
    }
    expect(README).not.toMatch(/npx (--yes |-y )?dts-gate\b/);
  });

  it("name the repository github.com/dts-gate/dts-gate, never a placeholder", () => {
    expect(README).not.toContain("OWNER/dts-gate");
    for (const [url] of README.matchAll(/github\.com\/[\w.-]+\/[\w-]+/g))
      expect(url).toBe("github.com/dts-gate/dts-gate");
  });
});

describe("the README's reference", () => {
  it("describes every option of every command, help and completion", async () => {
    for (const command of ["wait", "demo", "simulate"]) {
      const captured = capturingIO({ env: {} });
      await runCli(["--get-yargs-completions", command, "--"], captured.io, async () => {
        throw new Error("no command runs while completing");
      });
      const options = captured
        .stdout()
        .split("\n")
        .filter((word) => word.startsWith("--"));
      expect(options.length, command).toBeGreaterThan(4);
      for (const option of options) expect(README, `${command} ${option}`).toContain(`\`${option}`);
    }
    for (const words of ["dts-gate help COMMAND", "dts-gate completion", "did you mean --timeout?"]) {
      expect(README).toContain(words);
    }
  });

  it("names only test files that exist", () => {
    const paths = [...README.matchAll(/`(test\/[\w./*-]+)`/g)].map(([, path = ""]) => path);
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect(existsSync(`${ROOT}${path.replace(/\/\*[^/]*$/, "")}`), path).toBe(true);
  });
});
