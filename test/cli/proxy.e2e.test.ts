import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { DEMO_ENV } from "../helpers/cli.js";
import { CLI, describeRun, runCliProcess } from "../helpers/process.js";
import { startTlsProxy, type TlsProxy } from "../helpers/tls.js";

/*
 * The bundled CLI behind a corporate proxy: a real forward proxy (npm `proxy`) in a process of its
 * own on loopback, the simulator behind TLS with a certificate made for the run, trusted through
 * NODE_EXTRA_CA_CERTS as a company's CA would be.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PROXY_PROCESS = `
import { createServer } from "node:http";
import { createProxy } from "proxy";
const proxy = createProxy(createServer());
proxy.on("connect", (request) => console.log("CONNECT " + request.url));
proxy.listen(0, "127.0.0.1", () => console.log("listening " + proxy.address().port));
`;

let simulator: Simulator;
let front: TlsProxy;
let proxy: ChildProcess;
let proxyUrl = "";
const tunnels: string[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ scenario: "pass", stepMs: 5 });
  front = await startTlsProxy("openssl", Number(new URL(simulator.url).port));
  proxy = spawn(process.execPath, ["--input-type=module", "-e", PROXY_PROCESS], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  proxyUrl = await new Promise<string>((resolve, reject) => {
    proxy.once("exit", (code) => reject(new Error(`the proxy exited with ${code}`)));
    proxy.stdout?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        const listening = /^listening (\d+)$/.exec(line);
        if (listening) resolve(`http://127.0.0.1:${listening[1]}`);
        else if (line.startsWith("CONNECT ")) tunnels.push(line.slice("CONNECT ".length));
      }
    });
  });
});

afterAll(async () => {
  proxy?.kill();
  await front?.stop();
  await simulator?.close();
});

async function waitThrough(env: Record<string, string>, ...extra: string[]) {
  tunnels.length = 0;
  const endpoint = `https://localhost:${front.port}`;
  const run = await runCliProcess(
    CLI,
    ["wait", "dts-1ewjspuw", "--endpoint", endpoint, "--interval", "0.05", ...extra],
    {
      ...DEMO_ENV,
      NODE_EXTRA_CA_CERTS: front.certFile,
      ...env,
    },
    20_000,
  );
  return run;
}

describe("dts-gate behind a forward proxy", () => {
  it("tunnels every API request through HTTPS_PROXY (CONNECT), TLS end to end", async () => {
    const run = await waitThrough({ HTTPS_PROXY: proxyUrl });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain("gate open");
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([`localhost:${front.port}`]));
  });

  it("honours the lowercase https_proxy too, and goes direct for a host NO_PROXY names", async () => {
    expect((await waitThrough({ https_proxy: proxyUrl })).code).toBe(0);
    expect(tunnels.length).toBeGreaterThan(0);
    const direct = await waitThrough({ HTTPS_PROXY: proxyUrl, NO_PROXY: "localhost" });
    expect(direct.code, describeRun(direct)).toBe(0);
    expect(tunnels).toEqual([]);
  }, 60_000);

  it("an unreachable proxy is a network failure the run reports, never a silent direct connection", async () => {
    const run = await waitThrough({ HTTPS_PROXY: "http://127.0.0.1:9" }, "--timeout", "0.5");
    expect(run.code, describeRun(run)).toBe(3);
    expect(run.stdout, describeRun(run) + run.stdout).toMatch(/last failed request before the timeout: NetworkError/);
    expect(tunnels).toEqual([]);
  });
});
