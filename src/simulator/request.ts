import type { IncomingHttpHeaders } from "node:http";
import { DTS_VERSION, type DtsAction } from "../tencent/types.js";
import { ACTION_SPECS, isCompareTaskIdOf, isServedAction, jobKindOf } from "./actions.js";

/** A Tencent Cloud error: the Code and Message of the envelope. */
export interface ErrorAnswer {
  code: string;
  message: string;
}

export type Params = Record<string, unknown>;

export function isParams(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One request as the simulator's handlers see it, its body read. */
export interface SimRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What a handler answers: sent as is. */
export interface SimAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Cuts text from the request before it is echoed into an answer or the arrival log. */
export function clip(value: string, max = 128): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** The request body as JSON, undefined when it is not JSON. */
export function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

function checkRegion(req: SimRequest, expectRegion: string | undefined): ErrorAnswer | undefined {
  if (expectRegion === undefined) return undefined;
  const region = headerOf(req.headers, "x-tc-region");
  if (region === undefined || region === "") {
    return { code: "MissingParameter", message: "The request is missing the X-TC-Region header." };
  }
  if (region !== expectRegion) {
    return { code: "UnsupportedRegion", message: `The API does not support the region ${clip(region, 64)}.` };
  }
  return undefined;
}

/** What a request is about, once its parameters checked out. */
export interface Target {
  readonly action: DtsAction;
  readonly jobId: string;
  /** The CompareTaskId it names, when the action takes one and it was given. */
  readonly compareTaskId: string | undefined;
  readonly params: Params;
}

const ID_EXAMPLE = { migration: "dts-1ewjspuw", sync: "sync-1ewjspuw" } as const;

/** CompareTaskId: required or optional by action, and of the request's job. */
function checkCompareTaskId(action: DtsAction, jobId: string, params: Params): ErrorAnswer | string | undefined {
  const rule = ACTION_SPECS[action].compareTaskId;
  const taskId = params.CompareTaskId;
  if (rule === "none" || ((taskId === undefined || taskId === null) && rule === "optional")) return undefined;
  if (taskId === undefined || taskId === null) {
    return { code: "MissingParameter", message: "The parameter CompareTaskId is missing." };
  }
  if (typeof taskId !== "string" || !isCompareTaskIdOf(jobId, taskId)) {
    const message = `The parameter CompareTaskId must be a consistency check of job ${jobId}, like ${jobId}-cmp-37skmii9.`;
    return { code: "InvalidParameterValue", message };
  }
  return taskId;
}

/** The params stage: region (when expected), version, action, body, JobId, CompareTaskId. */
export function checkParams(
  req: SimRequest,
  action: string,
  params: unknown,
  expectRegion: string | undefined,
): ErrorAnswer | Target {
  const regionError = checkRegion(req, expectRegion);
  if (regionError) return regionError;
  const version = headerOf(req.headers, "x-tc-version");
  if (version === undefined || version === "") {
    return { code: "MissingParameter", message: "The request is missing the X-TC-Version header." };
  }
  if (version !== DTS_VERSION) {
    return { code: "InvalidParameterValue", message: `Version ${clip(version, 32)} is not ${DTS_VERSION}.` };
  }
  if (!isServedAction(action)) {
    return { code: "InvalidAction", message: `The action ${clip(action, 64)} does not exist.` };
  }
  if (!isParams(params)) {
    return { code: "InvalidParameterValue", message: "The request body must be a JSON object." };
  }
  const jobId = params.JobId;
  if (jobId === undefined || jobId === null) {
    return { code: "MissingParameter", message: "The parameter JobId is missing." };
  }
  const kind = ACTION_SPECS[action].kind;
  if (typeof jobId !== "string" || jobKindOf(jobId) !== kind) {
    return { code: "InvalidParameterValue", message: `The parameter JobId must look like ${ID_EXAMPLE[kind]}.` };
  }
  const compareTaskId = checkCompareTaskId(action, jobId, params);
  if (typeof compareTaskId === "object") return compareTaskId;
  return { action, jobId, compareTaskId, params };
}
