import type { TraceEvent } from "../tencent/client.js";
import type { DescribeMigrationCheckJobResponse } from "../tencent/types.js";
import { OUTCOME_LABELS, paint, type Style } from "./report.js";
import { clean, plural } from "./text.js";
import type { GateEvent } from "./types.js";
import type { JobState } from "./verdict.js";

export interface ProgressOptions {
  readonly write: (text: string) => void;
  /** A terminal gets one live line per job; a log gets a line per change and a heartbeat. */
  readonly live: boolean;
  readonly style: Style;
  readonly now: () => number;
  readonly verbose: boolean;
  readonly heartbeatMs?: number;
}

interface JobLine {
  state: JobState;
  summary: string;
  elapsedMs: number;
}

const LIVE_LINES_MAX = 30;

/** Steps that have a result: what "step N of 13" counts. */
export function stepsDone(response: DescribeMigrationCheckJobResponse): { done: number; total: number } {
  const steps = response.StepInfo ?? [];
  return {
    done: steps.filter((step) => step.StepStatus && step.StepStatus !== "notStarted").length,
    total: steps.length,
  };
}

function summaryOf(state: JobState, response: DescribeMigrationCheckJobResponse | undefined): string {
  if (state !== "waiting") return OUTCOME_LABELS[state].label;
  if (!response) return "waiting";
  const { done, total } = stepsDone(response);
  const status = clean(response.Status ?? "unknown");
  return total > 0 ? `${status} · step ${Math.min(done + (status === "running" ? 1 : 0), total)} of ${total}` : status;
}

function secondsLabel(ms: number): string {
  return `${(ms / 1000).toFixed(1).padStart(6)}s`;
}

/** Turns gate events (and, with --verbose, every exchange) into progress on stderr. */
export function createProgress(options: ProgressOptions) {
  const { write, style } = options;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const startedAt = options.now();
  const jobs = new Map<string, JobLine>();
  let liveLinesDrawn = 0;
  let lastLineAt = startedAt;

  const log = (text: string) => {
    if (options.live) clearLive();
    write(`${text}\n`);
    lastLineAt = options.now();
    if (options.live) drawLive();
  };

  function clearLive() {
    if (liveLinesDrawn > 0) write(`\u001b[${liveLinesDrawn}A\u001b[0J`);
    liveLinesDrawn = 0;
  }

  function drawLive() {
    const entries = [...jobs.entries()];
    const shown = entries.slice(0, LIVE_LINES_MAX);
    const lines = shown.map(([jobId, line]) => {
      const color = line.state === "waiting" ? "dim" : OUTCOME_LABELS[line.state].color;
      return `${jobId}  ${paint(style, color, line.summary)}  ${paint(style, "dim", secondsLabel(line.elapsedMs).trim())}`;
    });
    if (entries.length > shown.length) {
      const waiting = entries.filter(([, line]) => line.state === "waiting").length;
      lines.push(`… and ${entries.length - shown.length} more jobs (${waiting} waiting in all)`);
    }
    if (lines.length > 0) write(`${lines.join("\n")}\n`);
    liveLinesDrawn = lines.length;
  }

  const update = (jobId: string, state: JobState, response: DescribeMigrationCheckJobResponse | undefined) => {
    const elapsedMs = options.now() - startedAt;
    const summary = summaryOf(state, response);
    const previous = jobs.get(jobId);
    jobs.set(jobId, { state, summary, elapsedMs });
    if (options.live) {
      clearLive();
      drawLive();
      return;
    }
    if (previous?.summary !== summary) {
      log(`[${secondsLabel(elapsedMs)}] ${jobId} ${summary}`);
    } else if (options.now() - lastLineAt >= heartbeatMs) {
      const waiting = [...jobs.values()].filter((line) => line.state === "waiting").length;
      log(`[${secondsLabel(elapsedMs)}] still waiting for ${waiting} of ${plural(jobs.size, "job")}`);
    }
  };

  return {
    onEvent(event: GateEvent) {
      switch (event.type) {
        case "poll":
          update(event.jobId, event.state, event.response);
          if (event.note && options.verbose) log(`  ${event.jobId}: ${clean(event.note)}`);
          break;
        case "verdict":
          update(event.report.jobId, event.report.outcome, undefined);
          break;
        case "created":
          log(`${event.jobId}: check created (RequestId ${clean(event.requestId)})`);
          break;
        case "started":
          log(`${event.jobId}: migration started (RequestId ${clean(event.requestId)})`);
          break;
        case "retry":
          if (options.verbose) {
            const { attempt, error, delayMs } = event.notice;
            log(
              `  ${event.jobId} ${event.action} attempt ${attempt}: ${error.kind} ${clean(error.code)}${
                delayMs === undefined ? ", giving up" : `, next try in ${delayMs} ms`
              }`,
            );
          }
          break;
      }
    },
    onTrace(event: TraceEvent) {
      if (event.type === "request") {
        const headers = Object.entries(event.headers)
          .map(([name, value]) => `${name}: ${clean(value)}`)
          .join("; ");
        log(`  → ${event.action} ${JSON.stringify(event.params)} ${paint(style, "dim", headers)}`);
      } else {
        const outcome = event.errorCode ? `${clean(event.errorCode)} (${event.errorKind})` : "ok";
        log(
          `  ← ${event.action} ${event.params.JobId ?? ""} HTTP ${event.httpStatus ?? "-"} ${outcome} RequestId ${clean(event.requestId ?? "-")} ${event.durationMs} ms`,
        );
      }
    },
    /** Leaves the live block as the last picture, before the report. */
    finish() {
      liveLinesDrawn = 0;
    },
  };
}
