import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate, type Credentials } from "./auth.js";
import { FaultBook, REFUSAL_FAULTS } from "./faults.js";
import { MAX_BODY_BYTES, Reply, readBody } from "./http.js";
import { JobBook } from "./jobs.js";
import { type Arrival, type RawAnswer, type Simulator, type SimulatorOptions, validateOptions } from "./options.js";
import { checkParams, clip, type ErrorAnswer, header, isParams, parseBody } from "./request.js";

export type { AnswerRequest, RawAnswer, Simulator, SimulatorOptions } from "./options.js";

/** The documented demo pair: the simulator's default and only accepted credentials. */
export const DEMO_SECRET_ID = "AKIDdtsGateDemo0000000000000000000000";
export const DEMO_SECRET_KEY = "dtsGateDemoKey000000000000000000";

/** Distinct action names tracked per second for the rate limit; more are not limited. */
const MAX_RATE_KEYS = 1_000;
/** Distinct (action, job) pairs whose requests the `answer` option's `n` counts; beyond, the oldest is reset. */
const MAX_ANSWER_KEYS = 10_000;

/** Per-action arrivals in the current second of the simulator clock. */
class RateCounter {
  #second = Number.NaN;
  readonly #counts = new Map<string, number>();
  constructor(readonly rate: number) {}

  /** Counts the arrival; true when it is beyond the rate of its second. */
  over(action: string, atMs: number): boolean {
    const second = Math.floor(atMs / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#counts.clear();
    }
    const seen = this.#counts.get(action);
    if (seen === undefined && this.#counts.size >= MAX_RATE_KEYS) return false;
    const count = (seen ?? 0) + 1;
    this.#counts.set(action, count);
    return count > this.rate;
  }
}

/** The Error.Code an override's answer carries, as its arrival records it. */
function overrideCode(answer: RawAnswer): string | undefined {
  const status = answer.status ?? 200;
  if (status !== 200) return `http${status}`;
  const parsed = parseBody(Buffer.from(answer.body));
  if (!isParams(parsed) || !isParams(parsed.Response)) return undefined;
  const error = parsed.Response.Error;
  if (error === undefined) return undefined;
  return isParams(error) && typeof error.Code === "string" ? clip(error.Code) : "Error";
}

/** A successful answer: HTTP 200 and a JSON Response without Error. */
function answersSuccess(answer: RawAnswer): boolean {
  if ((answer.status ?? 200) !== 200) return false;
  const parsed = parseBody(Buffer.from(answer.body));
  return isParams(parsed) && isParams(parsed.Response) && parsed.Response.Error === undefined;
}

/** Answers the error and records its code. */
function refuse(reply: Reply, arrival: Arrival, error: ErrorAnswer, status = 200): void {
  arrival.code = error.code;
  reply.error(error, status);
}

/** The arrival code of the flaky scenario's refusals. */
const FLAKY_CODES: Readonly<Record<string, string>> = {
  throttle: "RequestLimitExceeded",
  internal: "InternalError",
  http502: "http502",
};

/**
 * Starts the embedded stand-in for dts.tencentcloudapi.com.
 *
 * Each request goes through these stages in order; the first that objects answers:
 * 1. parse: method must be POST (else HTTP 405), body at most 64 KiB (else RequestSizeLimitExceeded and
 *    the connection closed), X-TC-Action present (MissingParameter).
 * 2. rate: arrivals per action in the current second of the simulator clock, refused ones included;
 *    beyond `rate`, RequestLimitExceeded. Throttling comes before authentication, like a gateway's.
 * 3. auth: signature (see auth.ts), then X-TC-Token when `expectToken` is set (AuthFailure.TokenFailure).
 * 4. override: the `answer` option, when given and it answers.
 * 5. params: X-TC-Region when `expectRegion` is set (MissingParameter, UnsupportedRegion), X-TC-Version,
 *    known action (InvalidAction), body a JSON object, JobId.
 * 6. job: unknown job when `jobs` is given (ResourceNotFound).
 * 7. faults: injected rules count only requests that got this far. Refusals (throttle, internal, http502,
 *    http429, http503, denied) answer instead of the action; then a flaky job's every third request is
 *    refused in turn with RequestLimitExceeded, InternalError, HTTP 502.
 * 8. the action; a lost-answer fault (reset, stall, truncated, invalidJson, emptyBody, nullFields,
 *    slowBody) then mangles the answer of an action that WAS applied.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  validateOptions(options);
  const stepMs = options.stepMs ?? 300;
  const jobs = new JobBook({
    defaultScenario: options.scenario ?? "warning",
    jobs: options.jobs ?? {},
    stepMs,
    createLagMs: options.createLagMs ?? stepMs,
  });
  const credentials: Credentials = {
    secretId: options.secretId ?? DEMO_SECRET_ID,
    secretKey: options.secretKey ?? DEMO_SECRET_KEY,
    expectToken: options.expectToken,
  };
  const rate = new RateCounter(options.rate ?? 20);
  const offsetMs = (options.clockOffsetSec ?? 0) * 1000;
  const now = options.now ?? Date.now;
  const logLimit = options.logLimit ?? 100_000;
  const clock = () => now() + offsetMs;
  const faults = new FaultBook();
  for (const rule of options.faults ?? []) faults.add(rule);
  const arrivals: Arrival[] = [];
  const answeredBefore = new Map<string, number>();

  const record = (arrival: Arrival) => {
    if (logLimit <= 0) return;
    arrivals.push(arrival);
    while (arrivals.length > logLimit) arrivals.shift();
  };

  /** Stage 4: true when the `answer` option answered. */
  const overridden = (reply: Reply, arrival: Arrival): boolean => {
    if (options.answer === undefined) return false;
    const key = `${arrival.action}\n${arrival.jobId ?? ""}`;
    const n = answeredBefore.get(key) ?? 0;
    answeredBefore.delete(key); // re-inserted last: the oldest key is the first forgotten
    if (answeredBefore.size >= MAX_ANSWER_KEYS) answeredBefore.delete(answeredBefore.keys().next().value ?? "");
    answeredBefore.set(key, n + 1);
    const answer = options.answer({ action: arrival.action, jobId: arrival.jobId, n });
    if (answer === undefined) return false;
    arrival.override = true;
    const code = overrideCode(answer);
    if (code !== undefined) arrival.code = code;
    if (arrival.action === "StartMigrateJob" && arrival.jobId !== undefined && answersSuccess(answer)) {
      jobs.countOverrideStart(arrival.jobId);
    }
    reply.raw(answer);
    return true;
  };

  /** Stages 5 to 8, for a request that passed authentication. */
  const handleAction = (req: IncomingMessage, reply: Reply, arrival: Arrival, action: string, params: unknown) => {
    const fail = (error: ErrorAnswer) => refuse(reply, arrival, error);
    const jobId = checkParams(req, action, params, options.expectRegion);
    if (typeof jobId !== "string") return fail(jobId);
    const atMs = clock();
    const admitted = jobs.admit(jobId, atMs);
    if (!admitted) return fail({ code: "ResourceNotFound", message: `The job ${jobId} does not exist.` });
    const fault = faults.take(action, jobId);
    if (fault !== undefined && REFUSAL_FAULTS.has(fault.kind)) {
      arrival.code = fault.kind;
      return reply.refusal(fault);
    }
    const flaky = fault === undefined ? jobs.flakyRefusal(admitted) : undefined;
    if (flaky !== undefined) {
      arrival.code = FLAKY_CODES[flaky] ?? flaky;
      return reply.refusal({ kind: flaky });
    }
    const result = jobs.perform(action, admitted, atMs);
    if ("error" in result) return fail(result.error);
    if (fault !== undefined) {
      arrival.code = fault.kind;
      return reply.lost(fault, result.response);
    }
    reply.send(200, JSON.stringify({ Response: result.response }));
  };

  const handle = (req: IncomingMessage, reply: Reply, arrival: Arrival, limited: boolean, body: Buffer) => {
    const params = parseBody(body);
    if (isParams(params) && typeof params.JobId === "string") arrival.jobId = clip(params.JobId);
    const action = header(req, "x-tc-action") ?? "";
    const fail = (error: ErrorAnswer) => refuse(reply, arrival, error);
    if (action === "")
      return fail({ code: "MissingParameter", message: "The request is missing the X-TC-Action header." });
    if (limited) {
      return fail({
        code: "RequestLimitExceeded",
        message: `More than ${rate.rate} ${clip(action, 64)} requests arrived within this second.`,
      });
    }
    const authError = authenticate(req, body, arrival.atMs, credentials);
    if (authError) return fail(authError);
    if (overridden(reply, arrival)) return;
    handleAction(req, reply, arrival, action, params);
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const arrival: Arrival = { atMs: clock(), action: clip(header(req, "x-tc-action") ?? "") };
    record(arrival);
    const reply = new Reply(req, res, clock);
    const fail = (error: ErrorAnswer, status?: number) => refuse(reply, arrival, error, status);
    if (req.method !== "POST") {
      reply.allow("POST");
      const message = `Method ${clip(req.method ?? "", 16)} is not supported; use POST.`;
      return fail({ code: "UnsupportedOperation", message }, 405);
    }
    const limited = arrival.action !== "" && rate.over(arrival.action, arrival.atMs);
    readBody(
      req,
      (body) => {
        try {
          handle(req, reply, arrival, limited, body);
        } catch (error) {
          // A bug here must not take the simulator down; answer like the real service would.
          fail({ code: "InternalError", message: `simulator: ${String(error)}` });
        }
      },
      () => {
        reply.closeAfter();
        fail({ code: "RequestSizeLimitExceeded", message: `The request body exceeds ${MAX_BODY_BYTES} bytes.` });
      },
    );
  };

  // Malformed requests and oversized headers (431) get Node's default answer; none reaches serve.
  const server = createServer((req, res) => {
    req.on("error", () => {});
    res.on("error", () => {});
    try {
      serve(req, res);
    } catch {
      res.destroy();
    }
  });

  return new Promise<Simulator>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      server.on("error", () => {});
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        arrivals,
        injectFault: (rule) => faults.add(rule),
        finishCheck: (jobId) => jobs.finishCheck(jobId, clock()),
        startCount: (jobId) => jobs.startCount(jobId),
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
