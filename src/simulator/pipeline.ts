import type { IncomingMessage, ServerResponse } from "node:http";
import { DTS_SERVICE } from "../tencent/types.js";
import { type Tc3Keys, verifyTc3 } from "./auth.js";
import { FaultBook, type FaultRule, REFUSAL_FAULTS } from "./faults.js";
import { MAX_REQUEST_BODY_BYTES, Reply, readBody } from "./http.js";
import { JobBook, setBounded } from "./jobs.js";
import { KeylessRoutes } from "./keyless.js";
import type { Arrival, KeylessService, RawAnswer, SimulatorOptions } from "./options.js";
import { checkParams, clip, type ErrorAnswer, headerOf, isParams, parseBody, type SimRequest } from "./request.js";

/** Distinct action names tracked per second for the rate limit; more are not limited. */
const MAX_RATE_KEYS = 1_000;
/** Distinct (action, job) pairs whose requests the `answer` option's `n` counts; beyond, the oldest is forgotten. */
const MAX_ANSWER_KEYS = 10_000;

/** How long a migration takes from its start to readyComplete unless told. */
const DEFAULT_MIGRATE_MS = 5000;

/** The actions whose successful `answer` overrides count as starts. */
const START_ACTIONS: ReadonlySet<string> = new Set(["StartMigrateJob", "StartSyncJob"]);

/** The arrival code of the flaky scenario's refusals. */
const FLAKY_CODES: Readonly<Record<string, string>> = {
  throttle: "RequestLimitExceeded",
  internal: "InternalError",
  http502: "http502",
};

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

/** The Error.Code an answer carries, as its arrival records it; `http<STATUS>` when not 200. */
function answerCode(answer: RawAnswer): string | undefined {
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

/** Everything a request meets between its arrival and its answer; the stages are listed at startSimulator. */
export class Pipeline {
  readonly arrivals: Arrival[] = [];
  readonly #options: SimulatorOptions;
  readonly #jobs: JobBook;
  readonly #faults = new FaultBook();
  readonly #rate: RateCounter;
  readonly #keys: Tc3Keys;
  readonly #keyless: KeylessRoutes;
  readonly #answeredBefore = new Map<string, number>();

  /** `options` already validated; `credentials` with the defaults filled in. */
  constructor(options: SimulatorOptions, credentials: { secretId: string; secretKey: string }) {
    this.#options = options;
    const stepMs = options.stepMs ?? 300;
    this.#jobs = new JobBook({
      defaultScenario: options.scenario ?? "warning",
      jobs: options.jobs ?? {},
      stepMs,
      createLagMs: options.createLagMs ?? stepMs,
      migrateMs: options.migrateMs ?? DEFAULT_MIGRATE_MS,
      seed: options.seed,
    });
    this.#keyless = new KeylessRoutes(options, credentials);
    this.#keys = { ...credentials, expectToken: options.expectToken, book: this.#keyless.book };
    this.#rate = new RateCounter(options.rate ?? 20);
    for (const rule of options.faults ?? []) this.#faults.add(rule);
  }

  /** The simulator clock: now() + clockOffsetSec. */
  readonly clock = (): number => (this.#options.now ?? Date.now)() + (this.#options.clockOffsetSec ?? 0) * 1000;

  /** The temporary credentials STS and the metadata routes issued. */
  get credentialBook() {
    return this.#keyless.book;
  }

  injectFault(rule: FaultRule): void {
    this.#faults.add(rule);
  }

  finishCheck(jobId: string): void {
    this.#jobs.finishCheck(jobId, this.clock());
  }

  startCount(jobId: string): number {
    return this.#jobs.startCount(jobId);
  }

  completeCount(jobId: string): number {
    return this.#jobs.completeCount(jobId);
  }

  #record(arrival: Arrival): void {
    const logLimit = this.#options.logLimit ?? 100_000;
    if (logLimit <= 0) return;
    this.arrivals.push(arrival);
    while (this.arrivals.length > logLimit) this.arrivals.shift();
  }

  /** Routes a request: STS and metadata ones to their handlers, DTS ones through stage 1, then the rest. */
  serve(req: IncomingMessage, res: ServerResponse) {
    const service = this.#keyless.serviceOf(req);
    const arrival: Arrival = { atMs: this.clock(), action: clip(headerOf(req.headers, "x-tc-action") ?? "") };
    if (service !== undefined) arrival.service = service;
    if (service === "metadata") arrival.path = clip(req.url ?? "");
    this.#record(arrival);
    const reply = new Reply(req, res, this.clock);
    if (service !== undefined)
      return this.#read(req, reply, arrival, (request) => this.#keylessAnswer(reply, arrival, service, request));
    if (req.method !== "POST") {
      reply.allow("POST");
      const message = `Method ${clip(req.method ?? "", 16)} is not supported; use POST.`;
      return refuse(reply, arrival, { code: "UnsupportedOperation", message }, 405);
    }
    const limited = arrival.action !== "" && this.#rate.over(arrival.action, arrival.atMs);
    this.#read(req, reply, arrival, (request) => this.#handle(request, reply, arrival, limited));
  }

  /** Reads the body (refusing an oversized one), then `onRequest`; a bug there answers InternalError. */
  #read(req: IncomingMessage, reply: Reply, arrival: Arrival, onRequest: (request: SimRequest) => void) {
    readBody(
      req,
      (body) => {
        const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body };
        if (this.#options.keepRequests) arrival.request = request;
        try {
          onRequest(request);
        } catch (error) {
          // A bug here must not take the simulator down; answer like the real service would.
          refuse(reply, arrival, { code: "InternalError", message: `simulator: ${String(error)}` });
        }
      },
      () => {
        reply.closeAfter();
        const message = `The request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes.`;
        refuse(reply, arrival, { code: "RequestSizeLimitExceeded", message });
      },
    );
  }

  /** An STS or metadata request: its handler answers at the simulator clock. */
  #keylessAnswer(reply: Reply, arrival: Arrival, service: KeylessService, request: SimRequest) {
    const answer = this.#keyless.answer(service, request, this.clock());
    const code = answerCode(answer);
    if (code !== undefined) arrival.code = code;
    reply.send(answer.status, answer.body, answer.contentType);
  }

  /** Stages 1 (action) to 4. */
  #handle(request: SimRequest, reply: Reply, arrival: Arrival, limited: boolean) {
    const params = parseBody(request.body);
    if (isParams(params) && typeof params.JobId === "string") arrival.jobId = clip(params.JobId);
    const action = headerOf(request.headers, "x-tc-action") ?? "";
    if (action === "") {
      const message = "The request is missing the X-TC-Action header.";
      return refuse(reply, arrival, { code: "MissingParameter", message });
    }
    if (limited) {
      const message = `More than ${this.#rate.rate} ${clip(action, 64)} requests arrived within this second.`;
      return refuse(reply, arrival, { code: "RequestLimitExceeded", message });
    }
    const authError = verifyTc3(request, this.#keys, DTS_SERVICE, arrival.atMs);
    if (authError) return refuse(reply, arrival, authError);
    if (this.#overridden(reply, arrival)) return;
    this.#perform(request, reply, arrival, action, params);
  }

  /** Stage 4: true when the `answer` option answered. */
  #overridden(reply: Reply, arrival: Arrival): boolean {
    const answerOf = this.#options.answer;
    if (answerOf === undefined) return false;
    const key = `${arrival.action}\n${arrival.jobId ?? ""}`;
    const n = this.#answeredBefore.get(key) ?? 0;
    setBounded(this.#answeredBefore, key, n + 1, MAX_ANSWER_KEYS);
    const answer = answerOf({ action: arrival.action, jobId: arrival.jobId, n });
    if (answer === undefined) return false;
    arrival.override = true;
    const code = answerCode(answer);
    if (code !== undefined) arrival.code = code;
    if (START_ACTIONS.has(arrival.action) && arrival.jobId !== undefined && answersSuccess(answer)) {
      this.#jobs.countOverrideStart(arrival.jobId);
    }
    reply.raw(answer);
    return true;
  }

  /** Stages 5 to 8. */
  #perform(request: SimRequest, reply: Reply, arrival: Arrival, action: string, params: unknown) {
    const target = checkParams(request, action, params, this.#options.expectRegion);
    if ("code" in target) return refuse(reply, arrival, target);
    const { jobId } = target;
    const atMs = this.clock();
    const admitted = this.#jobs.admit(jobId, atMs);
    if (!admitted) {
      return refuse(reply, arrival, { code: "ResourceNotFound", message: `The job ${jobId} does not exist.` });
    }
    const fault = this.#faults.take(action, jobId);
    if (fault !== undefined && REFUSAL_FAULTS.has(fault.kind)) {
      arrival.code = fault.kind;
      return reply.refusal(fault);
    }
    const flaky = fault === undefined ? this.#jobs.flakyRefusal(admitted) : undefined;
    if (flaky !== undefined) {
      arrival.code = FLAKY_CODES[flaky] ?? flaky;
      return reply.refusal({ kind: flaky });
    }
    const result = this.#jobs.perform(target, admitted, atMs);
    if ("error" in result) return refuse(reply, arrival, result.error);
    if (fault !== undefined) {
      arrival.code = fault.kind;
      return reply.lost(fault, result.response);
    }
    reply.send(200, JSON.stringify({ Response: result.response }));
  }
}
