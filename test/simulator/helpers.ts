import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent, request } from "undici";
import type { CliIO } from "../../src/cli/io.js";
import { type Commands, runCli } from "../../src/cli/main.js";
import type { SimulateArgs } from "../../src/cli/simulate.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY } from "../../src/simulator/index.js";
import { signTc3 } from "../../src/tencent/signing.js";
import { DTS_VERSION } from "../../src/tencent/types.js";

export const JOB = "dts-1ewjspuw";
export const OTHER_JOB = "dts-abcdefgh";

/** One keep-alive-free dispatcher, so a destroyed socket never leaks into the next request. */
export const dispatcher = new Agent({ pipelining: 0, keepAliveTimeout: 1 });

export interface PostOptions {
  action?: string | null;
  /** A string is sent as is; anything else as JSON. Default {JobId: JOB}. */
  body?: unknown;
  secretId?: string;
  secretKey?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  service?: string;
  /** Host name that gets signed; default the URL's host name. */
  signedHost?: string;
  version?: string | null;
  authorization?: string | null;
  headers?: Record<string, string>;
  /** Give up (abort) after this many ms. */
  timeoutMs?: number;
  method?: "POST" | "GET";
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected freely
  json: any;
}

export function buildRequest(url: string, options: PostOptions = {}) {
  const payload =
    typeof options.body === "string"
      ? options.body
      : JSON.stringify(options.body === undefined ? { JobId: JOB } : options.body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = "application/json";
  const { authorization } = signTc3({
    secretId: options.secretId ?? DEMO_SECRET_ID,
    secretKey: options.secretKey ?? DEMO_SECRET_KEY,
    service: options.service ?? "dts",
    host: options.signedHost ?? new URL(url).hostname,
    contentType,
    timestampSeconds: timestamp,
    payload,
  });
  const headers: Record<string, string> = { "Content-Type": contentType, "X-TC-Timestamp": String(timestamp) };
  const action = options.action === undefined ? "DescribeMigrationCheckJob" : options.action;
  if (action !== null) headers["X-TC-Action"] = action;
  const version = options.version === undefined ? DTS_VERSION : options.version;
  if (version !== null) headers["X-TC-Version"] = version;
  const auth = options.authorization === undefined ? authorization : options.authorization;
  if (auth !== null) headers.Authorization = auth;
  Object.assign(headers, options.headers);
  return { payload, headers };
}

/** Signs (with the project's signing helpers) and posts one request with undici. */
export async function post(url: string, options: PostOptions = {}): Promise<Answer> {
  const { payload, headers } = buildRequest(url, options);
  const method = options.method ?? "POST";
  const response = await request(url, {
    method,
    headers,
    ...(method === "POST" ? { body: payload } : {}),
    dispatcher,
    ...(options.timeoutMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

export async function errorCode(url: string, options: PostOptions = {}): Promise<string | undefined> {
  const answer = await post(url, options);
  return answer.json?.Response?.Error?.Code;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Whether the body ended normally (false: the connection broke mid-body). */
  complete: boolean;
}

/** Posts with node:http and keeps whatever bytes arrive, for faults that break the body. */
export function rawPost(url: string, options: PostOptions = {}): Promise<RawAnswer> {
  const { payload, headers } = buildRequest(url, options);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", () => {});
      res.on("close", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete: res.complete,
        }),
      );
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** A settable clock for `now`. */
export function fakeClock(startMs = Date.UTC(2026, 0, 15, 8, 0, 0)) {
  let t = startMs;
  return {
    now: () => t,
    set: (ms: number) => {
      t = ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    seconds: () => Math.floor(t / 1000),
  };
}

/** Resolves once `done()` holds, checking at every turn of the event loop (no timed sleep). */
export async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setImmediate(r));
}

const silentIO: CliIO = { stdout: { write: () => {} }, stderr: { write: () => {} }, env: {}, onSignal: () => () => {} };

/** The SimulateArgs yargs hands to runSimulate for this `simulate` command line. */
export async function simulateArgsOf(argv: readonly string[]): Promise<SimulateArgs> {
  let seen: SimulateArgs | undefined;
  const stub = {
    runSimulate: async (args: SimulateArgs) => {
      seen = args;
      return 0;
    },
  } as unknown as Commands;
  const code = await runCli(["simulate", ...argv], silentIO, async () => stub);
  if (code !== 0 || seen === undefined) throw new Error(`simulate did not run (exit ${code})`);
  return seen;
}
