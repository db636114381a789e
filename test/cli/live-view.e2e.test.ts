import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ENV, EMPTY_HOME } from "../helpers/cli.js";
import { CLI } from "../helpers/process.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/*
 * The bundle's live view on a real terminal: tmux is the terminal (a real emulator, with its
 * width and its wrapping), the simulator serves three jobs whose progress lines are longer than
 * 80 columns. Once the run has ended, the screen must hold the live block's last picture, one
 * line per job, and nothing of what was drawn before it.
 */

const JOBS = ["dts-aaaaaaaa", "dts-bbbbbbbb", "dts-cccccccc"];
// Registered first, so that it closes the simulators after the hook below ended the terminals.
const simulator = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 40 });
const sockets: string[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) {
    try {
      execFileSync("tmux", ["-L", socket, "kill-server"], { stdio: "ignore" });
    } catch {
      // Already gone.
    }
  }
});

function tmux(socket: string, ...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
}

/** Runs `wait` for the three jobs in a tmux window of `columns`; the screen and scrollback once it ended. */
async function screenAfterWait(columns: number): Promise<string[]> {
  const sim = await simulator();
  const socket = `dts-gate-test-${randomBytes(6).toString("hex")}`;
  sockets.push(socket);
  const env = Object.entries({ ...DEMO_ENV, HOME: EMPTY_HOME, NO_COLOR: "1" }).map(
    ([name, value]) => `${name}=${value}`,
  );
  const command = ["env", ...env, process.execPath, CLI, "wait", ...JOBS, "--endpoint", sim.url, "--interval", "0.05"];
  const shell = `${command.map((word) => `'${word}'`).join(" ")}; echo "exit $?"; sleep 600`;
  tmux(socket, "new-session", "-d", "-x", String(columns), "-y", "50", "-s", "gate", shell);
  // Waits for the run to end, however long the machine takes: no time threshold.
  for (;;) {
    const screen = tmux(socket, "capture-pane", "-p", "-S", "-", "-t", "gate");
    if (/^exit \d+$/m.test(screen)) return screen.split("\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the live view on a real terminal", () => {
  for (const columns of [40, 80, 200]) {
    it(`at ${columns} columns: exactly one line per job is left, none wrapped or left behind`, async () => {
      const lines = await screenAfterWait(columns);
      const start = lines.findIndex((line) => line.startsWith("credentials from"));
      expect(start, lines.join("\n")).toBe(0);
      // The live block ends where the report begins, after one empty line.
      const block = lines.slice(1, lines.indexOf("", 1));
      expect(block, lines.join("\n")).toHaveLength(JOBS.length);
      block.forEach((line, index) => {
        expect(line, lines.join("\n")).toMatch(new RegExp(`^${JOBS[index]} {2}PASSED {2}\\d+\\.\\ds$`));
        expect(line.length).toBeLessThan(columns);
      });
      expect(lines).toContain("exit 0");
    }, 60_000);
  }
});
