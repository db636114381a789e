import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import type { Simulator } from "../../../src/simulator/index.js";

/**
 * The redis-server binary: $DTS_GATE_REDIS_SERVER when set (a path; one that does not exist
 * stands for "none"), else the one on PATH or where Debian puts it; undefined when there is none.
 */
export function findRedisServer(): string | undefined {
  const override = process.env.DTS_GATE_REDIS_SERVER;
  if (override) {
    try {
      accessSync(override, constants.X_OK);
      return override;
    } catch {
      return undefined;
    }
  }
  return executableOnPath("redis-server", ["/usr/bin", "/usr/sbin", "/usr/local/bin"]);
}

/** The first executable `name` in PATH, then in `moreDirs`. */
function executableOnPath(name: string, moreDirs: readonly string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), ...moreDirs]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** A client for the test's own look at the keys. */
  readonly client: Redis;
  /** SIGKILL: the way a crashed Redis goes. */
  kill(): void;
  stop(): Promise<void>;
}

/** A throw-away redis-server on a free loopback port: no persistence, killed by stop(). */
export async function startRedis(binary: string): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, retryStrategy: () => null });
  client.on("error", () => {});
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error(`redis-server did not start on port ${port}: ${String(error)} ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    kill() {
      child.kill("SIGKILL");
    },
    async stop() {
      client.disconnect();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Relative module specifiers in `code`: static (`import"x"`, `from"x"`) and dynamic (`import("x")`). */
export function importsOf(code: string): { static: string[]; dynamic: string[] } {
  const specifiers = (pattern: RegExp) => [...code.matchAll(pattern)].map((match) => match[1] as string);
  return {
    static: specifiers(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g),
    dynamic: specifiers(/\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g),
  };
}

/**
 * Writes a module for `node --import` that appends the URL of every module Node loads to
 * $DTS_GATE_LOAD_LOG: what a run really loaded, not what the bundle seems to say.
 */
export function loadLogger(): string {
  const dir = mkdtempSync(join(tmpdir(), "dts-gate-loads-"));
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    'import { appendFileSync } from "node:fs";\n' +
      "export async function load(url, context, next) {\n" +
      '  appendFileSync(process.env.DTS_GATE_LOAD_LOG, url + "\\n");\n' +
      "  return next(url, context);\n}\n",
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return register;
}

/** Every .js file under `dir`. */
export function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".js"))
    .map((name) => join(dir, name));
}

/** openssl on PATH, which the TLS tests need to make a throw-away certificate. */
export function findOpenssl(): string | undefined {
  return executableOnPath("openssl");
}

/** What a gate says when it shares its budget through Redis. */
export const SHARING = /Sharing the request budget through Redis/;

/** `wait` for these jobs of the simulator, sharing the budget through `redisUrl`; JSON on stdout. */
export function waitArgs(ids: readonly string[], sim: Simulator, redisUrl: string): string[] {
  return ["wait", ...ids, "--interval", "0.05", "--endpoint", sim.url, "--redis-url", redisUrl, "--output", "json"];
}

/** In CI (DTS_GATE_REQUIRE_REDIS=1) a Redis suite without its tools fails instead of being skipped. */
export const TOOLS_REQUIRED = process.env.DTS_GATE_REQUIRE_REDIS === "1";

/** The tools a suite lacks (those found undefined); says once that the suite is skipped, outside CI. */
export function missingTools(suite: string, tools: Readonly<Record<string, string | undefined>>): string[] {
  const missing = Object.entries(tools)
    .filter(([, path]) => path === undefined)
    .map(([name]) => name);
  if (missing.length > 0 && !TOOLS_REQUIRED) {
    console.warn(
      `${suite}: SKIPPED, not on PATH: ${missing.join(", ")} (apt-get install -y ${missing.join(" ")}; DTS_GATE_REQUIRE_REDIS=1 makes this fail)`,
    );
  }
  return missing;
}
