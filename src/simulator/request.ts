import type { IncomingHttpHeaders } from "node:http";
import { DTS_VERSION, type DtsAction, JOB_ID_PATTERN } from "../tencent/types.js";

/** A Tencent Cloud error: the Code and Message of the envelope. */
export interface ErrorAnswer {
  code: string;
  message: string;
}

export type Params = Record<string, unknown>;

const ACTIONS: ReadonlySet<string> = new Set<DtsAction>([
  "DescribeMigrationCheckJob",
  "CreateMigrateCheckJob",
  "StartMigrateJob",
]);

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

/** The params stage: region (when expected), version, action, body, JobId. Answers the JobId or the error. */
export function checkParams(
  req: SimRequest,
  action: string,
  params: unknown,
  expectRegion: string | undefined,
): ErrorAnswer | string {
  const regionError = checkRegion(req, expectRegion);
  if (regionError) return regionError;
  const version = headerOf(req.headers, "x-tc-version");
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
}
