// Peak memory of `wait --junit` for 7 jobs whose answers hold 200,000 steps each (one in ten
// failed), with the JUnit file and the text report written: `node scripts/bench/big-answers.mjs`.
// A loopback server answers every DescribeMigrationCheckJob with the same finished check; the
// bundle runs under /usr/bin/time, whose maximum resident set size is the figure.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchEnv } from "./lib.mjs";

const STEPS = 200_000;
const JOBS = Array.from({ length: 7 }, (_, n) => `dts-${String(n).padStart(8, "0")}`);

// Terse steps keep the body under the client's 4 MiB limit: {} is a step of unknown status.
const steps = Array.from({ length: STEPS }, (_, n) => (n % 10 === 0 ? '{"StepNo":1,"StepStatus":"failed"}' : "{}"));
const body = `{"Response":{"Status":"success","CheckFlag":"checkNotPass","BriefMsg":"x","StepInfo":[${steps.join(",")}],"RequestId":"r"}}`;

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const folder = mkdtempSync(join(tmpdir(), "dts-gate-big-"));
const junit = join(folder, "junit.xml");
try {
  const { port } = server.address();
  const args = ["-f", "%M", process.execPath, "dist/cli.js", "wait", ...JOBS];
  args.push("--endpoint", `http://127.0.0.1:${port}`, "--timeout", "0", "--junit", junit);
  const child = spawn("/usr/bin/time", args, { env: benchEnv(), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise((resolve) => child.once("close", resolve));
  const peakKb = Number(stderr.trim().split("\n").at(-1));
  const size = (() => {
    try {
      return statSync(junit).size;
    } catch {
      return 0;
    }
  })();
  console.log(
    `${JOBS.length} jobs x ${STEPS} steps, body ${(body.length / 1e6).toFixed(1)} MB: exit ${code}, peak RSS ${(peakKb / 1024).toFixed(0)} MiB, JUnit ${(size / 1024).toFixed(0)} KiB`,
  );
  if (code !== 1) console.log(stderr.slice(-2000));
} finally {
  server.close();
  rmSync(folder, { recursive: true, force: true });
}
