import { kindOfId } from "../core/job-kind.js";
import { seconds } from "../core/reason.js";
import { clean, plural } from "../core/text.js";
import type { GateEvent } from "../core/types.js";
import type { JobState } from "../core/verdict.js";
import type { RetryNotice } from "../pacing/retry.js";
import type { TraceEvent } from "../tencent/client.js";
import type { DescribeMigrationCheckJobResponse } from "../tencent/types.js";
import { compareProgress } from "./compare-lines.js";
import { displayWidth, fitPieces, type Piece } from "./fit.js";
import { migrationChangeKey, migrationLine, startedWords } from "./migration-text.js";
import { type ColorName, OUTCOME_LABELS, outcomeLabel, paint, type Style } from "./report.js";

export interface ProgressOptions {
  readonly write: (text: string) => void;
  /** A terminal gets one live line per job; a log gets a line per change and a heartbeat. */
  readonly live: boolean;
  readonly style: Style;
  readonly now: () => number;
  readonly verbose: boolean;
  readonly heartbeatMs?: number;
  /** The terminal's size, read at every redraw (it may be resized during a wait). */
  readonly size?: () => { readonly columns?: number | undefined; readonly rows?: number | undefined };
  /** --fail-on-warning: a pass with warnings is shown as the closed gate it is. */
  readonly failOnWarning?: boolean;
  /** The jobs in the order given: the live lines keep it, whichever job answers first. */
  readonly jobIds?: readonly string[];
}

interface JobLine {
  state: JobState;
  summary: string;
  /** A log gets a new line when this changes (the summary without what changes at every poll). */
  key: string;
  /** The phase the job is in: a migration's polls after CompleteMigrateJob are the cut-over's. */
  phase: "migrate" | "complete";
  /** How the summary is painted: by what decided the job. */
  color: ColorName;
  /** Set while a request of this job is being retried: shown in the live line. */
  retrying: string | undefined;
  /** When the line last changed; a waiting job's time keeps running from the start. */
  elapsedMs: number;
}

const LIVE_LINES_MAX = 30;
/** A log's heartbeat slows as the wait grows, up to this: a three-hour wait stays a page of lines. */
const HEARTBEAT_MAX_MS = 5 * 60_000;
/** Waiting jobs whose heartbeat is a line each; beyond it one line counts them. */
const HEARTBEAT_JOBS_LISTED = 5;
/** When the terminal does not say its width. */
const DEFAULT_COLUMNS = 80;
/** Back to column 0 (a `^C` echoed by the terminal moved the cursor), up `rows`, clear below. */
const clearRows = (rows: number) => `\r\u001b[${rows}A\u001b[0J`;

/** What the live block took on the screen, to clear it whatever the terminal did since. */
interface Drawn {
  /** The display width of each line drawn. */
  readonly widths: readonly number[];
}

/**
 * The rows the drawn lines take at the terminal's width now: one each, unless the terminal was
 * made narrower since and wrapped them again.
 */
function rowsTaken(drawn: Drawn, columns: number): number {
  return drawn.widths.reduce((rows, width) => rows + Math.max(1, Math.ceil(width / columns)), 0);
}

/**
 * Where a check stands, numbered as the report numbers its steps (by StepNo): the steps with a
 * result, and the first one still without.
 */
export function stepsDone(response: DescribeMigrationCheckJobResponse): {
  done: number;
  total: number;
  current?: string;
} {
  const steps = response.StepInfo ?? [];
  let done = 0;
  let current: string | undefined;
  for (const step of steps) {
    if (step.StepStatus && step.StepStatus !== "notStarted") done++;
    else if (current === undefined) {
      current = `${step.StepNo ?? "?"} ${clean(step.StepName ?? step.StepId ?? "")}`.trim();
    }
  }
  return { done, total: steps.length, ...(current === undefined ? {} : { current }) };
}

function summaryOf(state: JobState, response: DescribeMigrationCheckJobResponse | undefined, stale: boolean): string {
  if (state !== "waiting") return OUTCOME_LABELS[state].label;
  if (stale) return "waiting for the new check to start";
  if (!response) return "waiting";
  const { done, total, current } = stepsDone(response);
  const status = clean(response.Status ?? "unknown");
  if (total === 0) return status;
  const at = status === "running" && current !== undefined ? ` · now step ${current}` : "";
  return `${status} · ${done} of ${total} steps done${at}`;
}

function secondsLabel(ms: number): string {
  return `${(ms / 1000).toFixed(1).padStart(6)}s`;
}

/** "RequestLimitExceeded (throttled): attempt 1 of 7, next try in 1.2 s" */
function retryText(notice: RetryNotice): string {
  const { attempt, maxAttempts, error, delayMs } = notice;
  const next = delayMs === undefined ? "giving up" : `next try in ${seconds(delayMs)}`;
  const of = maxAttempts === undefined ? "" : ` of ${maxAttempts}`;
  return `${clean(error.code)} (${error.kind}): attempt ${attempt}${of}, ${next}`;
}

/** Turns gate events (and, with --verbose, every exchange) into progress on stderr. */
export function createProgress(options: ProgressOptions) {
  const { write, style } = options;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const startedAt = options.now();
  const jobs = new Map<string, JobLine>();
  const placeOf = new Map((options.jobIds ?? []).map((jobId, index) => [jobId, index]));
  const place = (jobId: string) => placeOf.get(jobId) ?? Number.POSITIVE_INFINITY;
  let drawn: Drawn = { widths: [] };
  let lastLineAt = startedAt;
  const elapsed = () => options.now() - startedAt;
  const size = () => options.size?.() ?? {};

  const log = (text: string) => {
    if (options.live) clearLive();
    write(`${text}\n`);
    lastLineAt = options.now();
    if (options.live) drawLive();
  };

  function clearLive() {
    if (drawn.widths.length > 0) write(clearRows(rowsTaken(drawn, size().columns ?? DEFAULT_COLUMNS)));
    drawn = { widths: [] };
  }

  function liveLine(jobId: string, line: JobLine): Piece[] {
    const { color } = line;
    const ms = line.state === "waiting" ? elapsed() : line.elapsedMs;
    const pieces: Piece[] = [
      { text: `${jobId}  ` },
      { text: line.summary, paint: (text) => paint(style, color, text) },
    ];
    if (line.retrying) {
      pieces.push({ text: "  " }, { text: `retrying ${line.retrying}`, paint: (text) => paint(style, "yellow", text) });
    }
    pieces.push({ text: "  " }, { text: secondsLabel(ms).trim(), paint: (text) => paint(style, "dim", text) });
    return pieces;
  }

  function drawLive() {
    const { columns = DEFAULT_COLUMNS, rows } = size();
    // One column spare: a line that fills the last one makes some terminals wrap at once.
    const width = Math.max(1, columns - 1);
    // The block must fit on the screen, or the lines that scrolled off could not be cleared.
    const most = Math.max(1, Math.min(LIVE_LINES_MAX, (rows ?? LIVE_LINES_MAX + 1) - 1));
    const entries = [...jobs.entries()];
    const shown = entries.length > most ? entries.slice(0, most - 1) : entries;
    const lines = shown.map(([jobId, line]) => fitPieces(liveLine(jobId, line), width));
    if (entries.length > shown.length) {
      const waiting = entries.filter(([, line]) => line.state === "waiting").length;
      const more = `… and ${entries.length - shown.length} more jobs (${waiting} waiting in all)`;
      lines.push(fitPieces([{ text: more }], width));
    }
    if (lines.length > 0) write(`${lines.join("\n")}\n`);
    drawn = { widths: lines.map(displayWidth) };
  }

  const redraw = () => {
    clearLive();
    drawLive();
  };

  /** Every `heartbeatMs` at first, then a tenth of the time waited so far, at most HEARTBEAT_MAX_MS. */
  const heartbeatDue = () =>
    options.now() - lastLineAt >= Math.max(heartbeatMs, Math.min(elapsed() / 10, HEARTBEAT_MAX_MS));

  const heartbeat = () => {
    const at = `[${secondsLabel(elapsed())}]`;
    const waiting = [...jobs.entries()].filter(([, line]) => line.state === "waiting");
    if (waiting.length > HEARTBEAT_JOBS_LISTED || waiting.every(([, line]) => line.key === line.summary)) {
      log(`${at} still waiting for ${waiting.length} of ${plural(jobs.size, "job")}`);
      return;
    }
    // What changes at every poll (a migration's lag and percent) is told here, not in a line per poll.
    for (const [jobId, line] of waiting) log(`${at} ${jobId} still ${line.summary}`);
  };

  const update = (jobId: string, state: JobState, summary: string, color: ColorName, key = summary) => {
    const elapsedMs = elapsed();
    const previous = jobs.get(jobId);
    const phase = previous?.phase ?? "migrate";
    jobs.set(jobId, { state, summary, key, phase, color, elapsedMs, retrying: previous?.retrying });
    // A job's first line goes where the job stands in the order given, whichever answers first.
    if (!previous && placeOf.size > 0) {
      const ordered = [...jobs].sort(([a], [b]) => place(a) - place(b));
      jobs.clear();
      for (const [id, line] of ordered) jobs.set(id, line);
    }
    if (options.live) return redraw();
    if (previous?.key !== key) log(`[${secondsLabel(elapsedMs)}] ${jobId} ${summary}`);
    else if (heartbeatDue()) heartbeat();
  };

  /** Retries are never silent: a line in a log, the live line on a terminal. */
  const retrying = (jobId: string, text: string | undefined, logLine: string) => {
    const line = jobs.get(jobId);
    if (line) line.retrying = text;
    else if (text) {
      const line = { state: "waiting", summary: "waiting", key: "waiting", phase: "migrate", color: "dim" } as const;
      jobs.set(jobId, { ...line, elapsedMs: elapsed(), retrying: text });
    }
    if (options.live) redraw();
    else log(`[${secondsLabel(elapsed())}] ${jobId} ${logLine}`);
  };

  return {
    onEvent(event: GateEvent) {
      switch (event.type) {
        case "poll":
          update(
            event.jobId,
            event.state,
            summaryOf(event.state, event.response, event.stale === true),
            event.state === "waiting" ? "dim" : OUTCOME_LABELS[event.state].color,
          );
          if (event.note && options.verbose) log(`  ${event.jobId}: ${clean(event.note)}`);
          break;
        case "comparePoll":
          update(
            event.jobId,
            event.state,
            compareProgress(event.compare),
            event.state === "waiting" ? "dim" : OUTCOME_LABELS[event.state].color,
          );
          break;
        case "verdict":
          {
            const { label, color } = outcomeLabel(event.report, options.failOnWarning === true);
            update(event.report.jobId, event.report.outcome, label, color);
          }
          break;
        case "created":
          log(`${event.jobId}: check created (RequestId ${clean(event.requestId)})`);
          break;
        case "started":
          log(`${event.jobId}: ${startedWords(kindOfId(event.jobId))} (RequestId ${clean(event.requestId)})`);
          break;
        case "migrationPoll": {
          // The verdict event that follows an end tells it, by what decided it.
          if (event.state !== "waiting") break;
          const phase = jobs.get(event.jobId)?.phase ?? "migrate";
          const line = migrationLine(phase, event.migration);
          // Once the job is readyComplete, why it is not ready yet or how long it has been settling.
          const why = event.note && event.migration.status === "readyComplete" ? ` · ${clean(event.note)}` : "";
          update(event.jobId, "waiting", `${line}${why}`, "dim", migrationChangeKey(phase, event.migration));
          break;
        }
        case "completeSent": {
          const line = jobs.get(event.jobId);
          if (line) line.phase = "complete";
          else {
            const waiting = { state: "waiting", summary: "cutting over", key: "complete", color: "dim" } as const;
            jobs.set(event.jobId, { ...waiting, phase: "complete", elapsedMs: elapsed(), retrying: undefined });
          }
          log(`${event.jobId}: cut-over sent: CompleteMigrateJob (RequestId ${clean(event.requestId)})`);
          break;
        }
        case "retry":
          retrying(event.jobId, retryText(event.notice), `${event.action} failed: ${retryText(event.notice)}`);
          break;
        case "recovered":
          retrying(event.jobId, undefined, `${event.action} succeeded on attempt ${event.attempts}`);
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
    /** On a terminal, redraws the live lines so that waiting jobs' times keep running between polls. */
    tick() {
      if (options.live && jobs.size > 0) redraw();
    },
    /** Leaves the live block as the last picture, before the report. */
    finish() {
      drawn = { widths: [] };
    },
  };
}
