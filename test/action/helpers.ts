import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundled } from "../helpers/process.js";

export const ACTION = bundled("action.js");

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT parsed: name → value. */
  outputs: Record<string, string>;
  /** The raw GITHUB_OUTPUT file. */
  outputsFile: string;
  summary: string;
}

/**
 * Parses the runner's file-command format: `name<<DELIMITER` … `DELIMITER` (multi-line values), or
 * `name=value`. Throws on anything else, so a malformed file fails the test.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  let index = 0;
  while (index < lines.length) {
    const line = lines[index++] ?? "";
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = "", delimiter = ""] = heredoc;
      const value: string[] = [];
      for (;;) {
        if (index >= lines.length) throw new Error(`output ${name}: no closing delimiter ${delimiter}`);
        const next = lines[index++] ?? "";
        if (next === delimiter) break;
        value.push(next);
      }
      if (name in outputs) throw new Error(`output ${name} set twice`);
      outputs[name] = value.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`unexpected line in GITHUB_OUTPUT: ${JSON.stringify(line)}`);
    outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

export interface RunOptions {
  /** Input name (as in action.yml) → value; becomes INPUT_<NAME> with dashes kept, as the runner does. */
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** Called with the child once it printed a line matching `when`. */
  onLine?: { when: RegExp; act: (child: ReturnType<typeof spawn>) => void };
  timeoutMs?: number;
}

/** Runs `node dist/action.js` as the runner would: INPUT_* variables, output and summary files. */
export async function runActionProcess(options: RunOptions): Promise<ActionRun> {
  if (!existsSync(ACTION)) throw new Error(`${ACTION} is missing: run node scripts/build.mjs first`);
  const dir = await mkdtemp(join(tmpdir(), "dts-gate-action-"));
  const outputPath = join(dir, "output");
  const summaryPath = join(dir, "summary.md");
  await writeFile(outputPath, "");
  await writeFile(summaryPath, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  try {
    const child = spawn(process.execPath, [ACTION], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let triggered = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (options.onLine && !triggered && options.onLine.when.test(stdout)) {
        triggered = true;
        options.onLine.act(child);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    clearTimeout(timer);
    const outputsFile = await readFile(outputPath, "utf8");
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseOutputFile(outputsFile),
      outputsFile,
      summary: await readFile(summaryPath, "utf8"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The lines the runner would read as workflow commands (`::` after leading whitespace, or `##[`). */
export function commandLines(stdout: string): string[] {
  return stdout
    .split(/\r\n|[\r\n\u0085\u2028\u2029]/)
    .filter((line) => /^[\s\u0085]*::/.test(line) || line.includes("##["));
}

/** Decodes the character references an HTML renderer would. */
export function decodeEntities(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
