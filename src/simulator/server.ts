import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  canonicalRequest,
  parseAuthorization,
  sha256Hex,
  signatureOf,
  stringToSign,
  utcDate,
} from "../tencent/signing.js";
import { DTS_SERVICE, DTS_VERSION, type DtsAction, JOB_ID_PATTERN } from "../tencent/types.js";
import { FaultBook, type FaultKind, type FaultRule, REFUSAL_FAULTS } from "./faults.js";
import { type CheckView, checkView, isScenarioName, type ScenarioName } from "./scenarios.js";

/** The documented demo pair: the simulator's default and only accepted credentials. */
export const DEMO_SECRET_ID = "AKIDdtsGateDemo0000000000000000000000";
export const DEMO_SECRET_KEY = "dtsGateDemoKey000000000000000000";

export const MAX_BODY_BYTES = 64 * 1024;
const SIGNATURE_WINDOW_MS = 300_000;
/** Beyond this many distinct job ids (only without `jobs`), the oldest is forgotten. */
const MAX_JOBS = 10_000;
/** Distinct action names tracked per second for the rate limit; more are not limited. */
const MAX_RATE_KEYS = 1_000;
const ACTIONS: ReadonlySet<string> = new Set<DtsAction>([
  "DescribeMigrationCheckJob",
  "CreateMigrateCheckJob",
  "StartMigrateJob",
]);
const BAD_GATEWAY_HTML =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

export interface SimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Scenario of every job id not named in `jobs`; default "warning". */
  scenario?: ScenarioName;
  /**
   * When non-empty, only these job ids exist (others are ResourceNotFound). A list: check #1 follows
   * the first scenario, each CreateMigrateCheckJob moves to the next (the last repeats).
   */
  jobs?: Record<string, ScenarioName | readonly ScenarioName[]>;
  /** How long each of the 13 steps takes; default 300. */
  stepMs?: number;
  /**
   * After CreateMigrateCheckJob, DescribeMigrationCheckJob keeps showing the previous check's result
   * this long (as the real service lags), then the new check runs from step 0. Default: stepMs.
   */
  createLagMs?: number;
  /** The only credentials accepted; default the demo pair. */
  secretId?: string;
  secretKey?: string;
  /** Per-action requests per arrival second before RequestLimitExceeded; default 20. */
  rate?: number;
  /** The simulator's clock runs this far ahead (negative: behind). */
  clockOffsetSec?: number;
  faults?: readonly FaultRule[];
  /** Wall clock in ms, injectable for tests; default Date.now. */
  now?: () => number;
  /** Arrivals kept in memory, oldest dropped; default 100_000. */
  logLimit?: number;
}

export interface Arrival {
  /** Simulator clock (now() + clockOffsetSec) when the request's headers arrived. */
  atMs: number;
  /** X-TC-Action as sent ("" when absent). */
  action: string;
  /** JobId of the body, when it had a string one. */
  jobId?: string;
  /** Error code answered, or the fault kind (injected faults; "http502" for flaky's 502); absent on success. */
  code?: string;
}

export interface Simulator {
  /** http://HOST:PORT */
  readonly url: string;
  /** Every request in arrival order (at most logLimit, oldest dropped). */
  readonly arrivals: readonly Arrival[];
  injectFault(rule: FaultRule): void;
  /** Jumps the job's current check to its final state now (a stuck check to where it sticks). */
  finishCheck(jobId: string): void;
  /** StartMigrateJob calls accepted for this job. */
  startCount(jobId: string): number;
  /** Closes every socket, stalled ones included; never hangs. */
  close(): Promise<void>;
}

interface Job {
  readonly scenarios: readonly ScenarioName[];
  /** Index of the current check (its scenario: scenarios[min(checkNo, last)]). */
  checkNo: number;
  /** Clock time the current check starts (started) running. */
  runStartMs: number;
  /** Before this time DescribeMigrationCheckJob shows `stale` (the previous result) instead. */
  staleUntilMs: number;
  /** The previous check's result as it stood at CreateMigrateCheckJob; undefined: none (notStarted). */
  stale: CheckView | undefined;
  started: number;
  /** Requests that reached the flaky stage while the job's check was flaky. */
  flakyCount: number;
}

interface ErrorAnswer {
  code: string;
  message: string;
}

type Params = Record<string, unknown>;

function isParams(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(",") : value;
}

/** The Host header's host name without the port: what the official SDK signs. */
function hostName(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

function firstLabel(value: string): string {
  return value.split(".")[0] ?? value;
}

function clip(value: string, max = 128): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

function validateOptions(options: SimulatorOptions): void {
  const nonNegative = (name: string, value: number | undefined, allowInfinity = false) => {
    if (value === undefined) return;
    if (!(typeof value === "number" && value >= 0 && (allowInfinity || Number.isFinite(value)))) {
      throw new Error(`simulator option ${name} must be a non-negative number, got ${String(value)}`);
    }
  };
  nonNegative("stepMs", options.stepMs);
  nonNegative("createLagMs", options.createLagMs);
  nonNegative("rate", options.rate, true);
  nonNegative("logLimit", options.logLimit);
  if (options.clockOffsetSec !== undefined && !Number.isFinite(options.clockOffsetSec)) {
    throw new Error(`simulator option clockOffsetSec must be a finite number, got ${String(options.clockOffsetSec)}`);
  }
  if (options.scenario !== undefined && !isScenarioName(options.scenario)) {
    throw new Error(`unknown scenario "${String(options.scenario)}"`);
  }
  for (const [jobId, value] of Object.entries(options.jobs ?? {})) {
    if (!JOB_ID_PATTERN.test(jobId)) throw new Error(`"${jobId}" is not a DTS job id (like dts-1ewjspuw)`);
    const list: readonly string[] = typeof value === "string" ? [value] : value;
    if (list.length === 0) throw new Error(`job ${jobId}: empty scenario list`);
    for (const name of list) if (!isScenarioName(name)) throw new Error(`job ${jobId}: unknown scenario "${name}"`);
  }
  if (options.secretId === "" || options.secretKey === "") throw new Error("simulator credentials must not be empty");
}

/**
 * Starts the embedded stand-in for dts.tencentcloudapi.com.
 *
 * Each request goes through these stages in order; the first that objects answers:
 * 1. parse: method must be POST (else HTTP 405), body at most 64 KiB (else RequestSizeLimitExceeded and
 *    the connection closed), X-TC-Action present (MissingParameter).
 * 2. rate: arrivals per action in the current second of the simulator clock, refused ones included;
 *    beyond `rate`, RequestLimitExceeded. Throttling comes before authentication, like a gateway's.
 * 3. auth: Authorization (SignatureFailure), X-TC-Timestamp (MissingParameter/InvalidParameterValue),
 *    SecretId (SecretIdNotFound), 300 s window (SignatureExpire), credential scope and signature
 *    (SignatureFailure).
 * 4. params: X-TC-Version, known action (InvalidAction), body a JSON object, JobId.
 * 5. job: unknown job when `jobs` is given (ResourceNotFound).
 * 6. faults: injected rules count only requests that got this far. Refusals (throttle, internal, http502)
 *    answer instead of the action; then a flaky job's every third request is refused in turn with
 *    RequestLimitExceeded, InternalError, HTTP 502.
 * 7. the action; a lost-answer fault (reset, stall, truncated, invalidJson, emptyBody, nullFields) then
 *    mangles the answer of an action that WAS applied.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  validateOptions(options);
  const host = options.host ?? "127.0.0.1";
  const defaultScenario = options.scenario ?? "warning";
  const jobsOption = options.jobs ?? {};
  const closedWorld = Object.keys(jobsOption).length > 0;
  const stepMs = options.stepMs ?? 300;
  const createLagMs = options.createLagMs ?? stepMs;
  const secretId = options.secretId ?? DEMO_SECRET_ID;
  const secretKey = options.secretKey ?? DEMO_SECRET_KEY;
  const rate = options.rate ?? 20;
  const offsetMs = (options.clockOffsetSec ?? 0) * 1000;
  const now = options.now ?? Date.now;
  const logLimit = options.logLimit ?? 100_000;
  const clock = () => now() + offsetMs;

  const faults = new FaultBook();
  for (const rule of options.faults ?? []) faults.add(rule);
  const arrivals: Arrival[] = [];
  const jobs = new Map<string, Job>();
  let rateSecond = Number.NaN;
  const rateCounts = new Map<string, number>();

  const record = (arrival: Arrival) => {
    if (logLimit <= 0) return;
    arrivals.push(arrival);
    while (arrivals.length > logLimit) arrivals.shift();
  };

  /** Counts the arrival; true when it is beyond the rate of its second. */
  const overRate = (action: string, atMs: number): boolean => {
    const second = Math.floor(atMs / 1000);
    if (second !== rateSecond) {
      rateSecond = second;
      rateCounts.clear();
    }
    const seen = rateCounts.get(action);
    if (seen === undefined && rateCounts.size >= MAX_RATE_KEYS) return false;
    const count = (seen ?? 0) + 1;
    rateCounts.set(action, count);
    return count > rate;
  };

  const scenarioOf = (job: Job): ScenarioName =>
    job.scenarios[Math.min(job.checkNo, job.scenarios.length - 1)] ?? defaultScenario;

  /** The job, created on first sight with its first check running from `atMs`; undefined if it does not exist. */
  const jobFor = (jobId: string, atMs: number): { job: Job; isNew: boolean } | undefined => {
    const existing = jobs.get(jobId);
    if (existing) return { job: existing, isNew: false };
    const configured = jobsOption[jobId];
    if (closedWorld && configured === undefined) return undefined;
    const scenarios: readonly ScenarioName[] =
      configured === undefined ? [defaultScenario] : typeof configured === "string" ? [configured] : configured;
    const job: Job = {
      scenarios,
      checkNo: 0,
      runStartMs: atMs,
      staleUntilMs: Number.NEGATIVE_INFINITY,
      stale: undefined,
      started: 0,
      flakyCount: 0,
    };
    if (jobs.size >= MAX_JOBS) {
      const oldest = jobs.keys().next();
      if (!oldest.done) jobs.delete(oldest.value);
    }
    jobs.set(jobId, job);
    return { job, isNew: true };
  };

  const viewOf = (job: Job, atMs: number): CheckView => {
    if (atMs < job.staleUntilMs) return job.stale ?? checkView(scenarioOf(job), -1, stepMs);
    return checkView(scenarioOf(job), atMs - job.runStartMs, stepMs);
  };

  // ---- answers ----

  const baseHeaders = (req: IncomingMessage, res: ServerResponse, contentType: string) => {
    res.setHeader("Date", new Date(clock()).toUTCString());
    res.setHeader("Content-Type", contentType);
    const traceId = header(req, "x-tc-traceid");
    if (traceId !== undefined && traceId.length <= 128) res.setHeader("X-TC-TraceId", traceId);
  };

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    contentType = "application/json",
  ) => {
    if (res.headersSent || res.destroyed) return;
    try {
      baseHeaders(req, res, contentType);
      res.setHeader("Content-Length", Buffer.byteLength(body));
      res.writeHead(status);
      res.end(body);
    } catch {
      res.destroy(); // e.g. a header value Node refuses to echo; never let it escape
    }
  };

  const envelope = (error: ErrorAnswer): string =>
    JSON.stringify({ Response: { Error: { Code: error.code, Message: error.message }, RequestId: randomUUID() } });

  const sendError = (req: IncomingMessage, res: ServerResponse, arrival: Arrival, error: ErrorAnswer, status = 200) => {
    arrival.code = error.code;
    send(req, res, status, envelope(error));
  };

  const sendRefusal = (req: IncomingMessage, res: ServerResponse, arrival: Arrival, kind: FaultKind, code: string) => {
    arrival.code = code;
    if (kind === "http502") send(req, res, 502, BAD_GATEWAY_HTML, "text/html");
    else if (kind === "throttle") {
      send(req, res, 200, envelope({ code: "RequestLimitExceeded", message: "Your request rate is too high." }));
    } else if (kind === "denied") {
      send(
        req,
        res,
        200,
        envelope({ code: "UnauthorizedOperation", message: "The CAM policy of this key does not allow the action." }),
      );
    } else {
      send(req, res, 200, envelope({ code: "InternalError", message: "An internal error occurred; try again later." }));
    }
  };

  /** Answers `response` as mangled by a lost-answer fault. */
  const sendLost = (req: IncomingMessage, res: ServerResponse, kind: FaultKind, response: Record<string, unknown>) => {
    const socket = req.socket;
    switch (kind) {
      case "reset":
        try {
          socket.resetAndDestroy();
        } catch {
          socket.destroy();
        }
        return;
      case "stall":
        return; // close() or the client ends it
      case "truncated": {
        const full = Buffer.from(JSON.stringify({ Response: response }));
        baseHeaders(req, res, "application/json");
        res.setHeader("Content-Length", full.length);
        res.writeHead(200);
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => socket.destroy());
        return;
      }
      case "invalidJson":
        send(req, res, 200, '{"Response": {');
        return;
      case "emptyBody":
        send(req, res, 200, "");
        return;
      default: {
        const body =
          "Status" in response
            ? { RequestId: response.RequestId, CheckFlag: null, BriefMsg: null, Status: null, StepInfo: null }
            : response;
        send(req, res, 200, JSON.stringify({ Response: body }));
      }
    }
  };

  // ---- stages ----

  const authenticate = (req: IncomingMessage, body: Buffer, atMs: number): ErrorAnswer | undefined => {
    const authorization = header(req, "authorization");
    if (authorization === undefined || authorization === "") {
      return { code: "AuthFailure.SignatureFailure", message: "The request has no Authorization header." };
    }
    const auth = parseAuthorization(authorization);
    if (!auth) {
      return { code: "AuthFailure.SignatureFailure", message: "The Authorization header is not TC3-HMAC-SHA256." };
    }
    const timestampText = header(req, "x-tc-timestamp");
    if (timestampText === undefined || timestampText === "") {
      return { code: "MissingParameter", message: "The request is missing the X-TC-Timestamp header." };
    }
    if (!/^\d{1,12}$/.test(timestampText)) {
      return { code: "InvalidParameterValue", message: "X-TC-Timestamp must be Unix seconds." };
    }
    if (auth.secretId !== secretId) {
      return { code: "AuthFailure.SecretIdNotFound", message: `The SecretId ${clip(auth.secretId, 64)} is not found.` };
    }
    const timestamp = Number(timestampText);
    if (Math.abs(timestamp * 1000 - atMs) > SIGNATURE_WINDOW_MS) {
      return {
        code: "AuthFailure.SignatureExpire",
        message: `Signature expired: timestamp ${timestamp} is more than 300 s from the server time ${Math.floor(atMs / 1000)} (${new Date(atMs).toISOString()}).`,
      };
    }
    if (auth.date !== utcDate(timestamp)) {
      return {
        code: "AuthFailure.SignatureFailure",
        message: `The credential date ${auth.date} is not the UTC date of the timestamp (${utcDate(timestamp)}).`,
      };
    }
    const hostHeader = header(req, "host") ?? "";
    const host = hostName(hostHeader);
    // The official SDK signs the first label of its endpoint as the service: "127" for 127.0.0.1:PORT.
    const services = new Set([DTS_SERVICE, firstLabel(hostHeader), firstLabel(host)]);
    if (!services.has(auth.service)) {
      return {
        code: "AuthFailure.SignatureFailure",
        message: `The credential service ${clip(auth.service, 64)} is wrong.`,
      };
    }
    if (!auth.signedHeaders.includes("content-type") || !auth.signedHeaders.includes("host")) {
      return { code: "AuthFailure.SignatureFailure", message: "SignedHeaders must include content-type and host." };
    }
    const signed = new Map<string, string>();
    for (const name of auth.signedHeaders) signed.set(name, name === "host" ? host : (header(req, name) ?? ""));
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const { text } = canonicalRequest({
      method: req.method ?? "POST",
      path: queryAt < 0 ? url : url.slice(0, queryAt),
      query: queryAt < 0 ? "" : url.slice(queryAt + 1),
      headers: signed,
      payloadHash: sha256Hex(body),
    });
    const scope = `${auth.date}/${auth.service}/tc3_request`;
    const expected = signatureOf(secretKey, auth.date, auth.service, stringToSign(timestamp, scope, text));
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
      return { code: "AuthFailure.SignatureFailure", message: "The signature does not match the request." };
    }
    return undefined;
  };

  const checkParams = (req: IncomingMessage, action: string, params: unknown): ErrorAnswer | string => {
    const version = header(req, "x-tc-version");
    if (version === undefined || version === "") {
      return { code: "MissingParameter", message: "The request is missing the X-TC-Version header." };
    }
    if (version !== DTS_VERSION) {
      return { code: "InvalidParameterValue", message: `Version ${clip(version, 32)} is not ${DTS_VERSION}.` };
    }
    if (!ACTIONS.has(action)) {
      return { code: "InvalidAction", message: `The action ${clip(action, 64)} does not exist.` };
    }
    if (!isParams(params)) {
      return { code: "InvalidParameterValue", message: "The request body must be a JSON object." };
    }
    const jobId = params.JobId;
    if (jobId === undefined || jobId === null) {
      return { code: "MissingParameter", message: "The parameter JobId is missing." };
    }
    if (typeof jobId !== "string" || !JOB_ID_PATTERN.test(jobId)) {
      return { code: "InvalidParameterValue", message: "The parameter JobId must look like dts-1ewjspuw." };
    }
    return jobId;
  };

  const perform = (
    action: string,
    jobId: string,
    job: Job,
    isNew: boolean,
    atMs: number,
  ): { error: ErrorAnswer } | { response: Record<string, unknown> } => {
    const RequestId = randomUUID();
    if (action === "DescribeMigrationCheckJob") {
      const view = viewOf(job, atMs);
      return { response: { RequestId, ...view } };
    }
    if (action === "CreateMigrateCheckJob") {
      if (job.started > 0) {
        return {
          error: {
            code: "FailedOperation.StatusInConflict",
            message: `The migration of job ${jobId} has started; its check cannot run again.`,
          },
        };
      }
      if (isNew) {
        job.stale = undefined; // no previous check: notStarted until the lag is over
      } else {
        job.stale = viewOf(job, atMs);
        job.checkNo += 1;
      }
      job.staleUntilMs = atMs + createLagMs;
      job.runStartMs = atMs + createLagMs;
      return { response: { RequestId } };
    }
    // StartMigrateJob
    if (job.started > 0) {
      return {
        error: {
          code: "FailedOperation.StatusInConflict",
          message: `The migration of job ${jobId} has already started.`,
        },
      };
    }
    const view = viewOf(job, atMs);
    if (atMs < job.staleUntilMs || view.Status !== "success" || view.CheckFlag !== "checkPass") {
      const state = atMs < job.staleUntilMs ? "being created" : `${view.Status}/${view.CheckFlag || "-"}`;
      return {
        error: {
          code: "FailedOperation.StatusInConflict",
          message: `The check of job ${jobId} has not passed (check ${state}); start the migration after it passes.`,
        },
      };
    }
    job.started += 1;
    return { response: { RequestId } };
  };

  const handle = (req: IncomingMessage, res: ServerResponse, arrival: Arrival, limited: boolean, body: Buffer) => {
    let params: unknown;
    try {
      params = JSON.parse(body.toString("utf8"));
    } catch {
      params = undefined;
    }
    if (isParams(params) && typeof params.JobId === "string") arrival.jobId = clip(params.JobId);
    const action = header(req, "x-tc-action") ?? "";
    if (action === "") {
      sendError(req, res, arrival, {
        code: "MissingParameter",
        message: "The request is missing the X-TC-Action header.",
      });
      return;
    }
    if (limited) {
      sendError(req, res, arrival, {
        code: "RequestLimitExceeded",
        message: `More than ${rate} ${clip(action, 64)} requests arrived within this second.`,
      });
      return;
    }
    const authError = authenticate(req, body, arrival.atMs);
    if (authError) return sendError(req, res, arrival, authError);
    const jobId = checkParams(req, action, params);
    if (typeof jobId !== "string") return sendError(req, res, arrival, jobId);
    const atMs = clock();
    const found = jobFor(jobId, atMs);
    if (!found) {
      return sendError(req, res, arrival, { code: "ResourceNotFound", message: `The job ${jobId} does not exist.` });
    }
    const fault = faults.take(action, jobId);
    if (fault !== undefined && REFUSAL_FAULTS.has(fault)) return sendRefusal(req, res, arrival, fault, fault);
    if (fault === undefined && scenarioOf(found.job) === "flaky") {
      found.job.flakyCount += 1;
      const n = found.job.flakyCount;
      if (n % 3 === 0) {
        const turn = (n / 3 - 1) % 3;
        if (turn === 0) return sendRefusal(req, res, arrival, "throttle", "RequestLimitExceeded");
        if (turn === 1) return sendRefusal(req, res, arrival, "internal", "InternalError");
        return sendRefusal(req, res, arrival, "http502", "http502");
      }
    }
    const result = perform(action, jobId, found.job, found.isNew, atMs);
    if ("error" in result) return sendError(req, res, arrival, result.error);
    if (fault !== undefined) {
      arrival.code = fault;
      return sendLost(req, res, fault, result.response);
    }
    send(req, res, 200, JSON.stringify({ Response: result.response }));
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => {});
    res.on("error", () => {});
    try {
      serve(req, res);
    } catch {
      res.destroy();
    }
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const arrival: Arrival = { atMs: clock(), action: clip(header(req, "x-tc-action") ?? "") };
    record(arrival);
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      sendError(
        req,
        res,
        arrival,
        { code: "UnsupportedOperation", message: `Method ${clip(req.method ?? "", 16)} is not supported; use POST.` },
        405,
      );
      return;
    }
    const limited = arrival.action !== "" && overRate(arrival.action, arrival.atMs);
    const tooLarge = () => {
      res.shouldKeepAlive = false;
      sendError(req, res, arrival, {
        code: "RequestSizeLimitExceeded",
        message: `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
      });
    };
    const declared = Number(header(req, "content-length"));
    if (declared > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        settled = true;
        req.off("data", onData);
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => {
      if (settled) return;
      settled = true;
      try {
        handle(req, res, arrival, limited, Buffer.concat(chunks));
      } catch (error) {
        // A bug here must not take the simulator down; answer like the real service would.
        sendError(req, res, arrival, { code: "InternalError", message: `simulator: ${String(error)}` });
      }
    });
  };

  // Malformed requests and oversized headers (431) get Node's default answer; none reaches onRequest.
  const server = createServer(onRequest);

  return new Promise<Simulator>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      server.on("error", () => {});
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        arrivals,
        injectFault: (rule) => faults.add(rule),
        finishCheck: (jobId) => {
          const found = jobFor(jobId, clock());
          if (!found) throw new Error(`the simulator has no job ${jobId}`);
          found.job.staleUntilMs = Number.NEGATIVE_INFINITY;
          found.job.runStartMs = Number.NEGATIVE_INFINITY;
        },
        startCount: (jobId) => jobs.get(jobId)?.started ?? 0,
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
