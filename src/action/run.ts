import { type RunConfig, type RunHooks, runWithRealClock } from "../app/run.js";
import { findRunCredentials } from "../app/run-credentials.js";
import { RunScope } from "../app/run-scope.js";
import type { StopSignal } from "../app/signals.js";
import type { OutputFile } from "../app/wait-run.js";
import { runWaitInScope } from "../app/wait-run.js";
import { systemClock } from "../core/clock.js";
import { describeUnexpected } from "../core/job-record.js";
import { clean } from "../core/text.js";
import type { GateEvent, GateResult, JobReport } from "../core/types.js";
import { EXIT_CODES, exitCodeOf } from "../core/verdict.js";
import { LagHistory, type LagPoint } from "../output/lag-chart.js";
import { createProgress } from "../output/progress.js";
import { renderReport, toJsonDocument, usageErrorDocument } from "../output/report.js";
import { redactDeep, redact as redactSecrets } from "../output/safe-output.js";
import { logSafeJson } from "../output/safe-text.js";
import type { CredentialSource } from "../tencent/credentials.js";
import { ConfigError } from "../tencent/errors.js";
import { buildAnnotations } from "./annotations.js";
import { chainOptions, type Env, type GetInput } from "./credentials.js";
import { type ActionConfig, readInputs, secretsToMask } from "./inputs.js";
import { createSafeLog, type SafeLog } from "./log.js";
import { migrationOutputs, NO_MIGRATION_OUTPUTS } from "./migration-outputs.js";
import { renderSummary } from "./summary.js";

export interface AnnotationProperties {
  title?: string;
}

/** The part of @actions/core the Action uses; tests pass a recording fake. */
export interface ActionCore {
  getInput(name: string): string;
  setSecret(secret: string): void;
  /** GitHub's OIDC token for this audience (the workflow must grant `id-token: write`). */
  getIDToken(audience: string): Promise<string>;
  info(message: string): void;
  debug(message: string): void;
  error(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  notice(message: string, properties?: AnnotationProperties): void;
  setFailed(message: string): void;
  setOutput(name: string, value: string): void;
  startGroup(name: string): void;
  endGroup(): void;
  /** Appends Markdown to the job summary; throws when there is no summary file. */
  writeSummary(markdown: string): Promise<void>;
}

export interface ActionDeps {
  readonly core: ActionCore;
  readonly env: Env;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  readonly onSignal: (handler: (signal: StopSignal) => void) => () => void;
  /** The gate; the real one unless a test injects another. */
  readonly run?: (config: RunConfig, hooks: RunHooks) => Promise<GateResult>;
}

function groupTitle(jobIds: readonly string[]): string {
  const shown = jobIds.slice(0, 5).join(", ");
  const more = jobIds.length > 5 ? ` and ${jobIds.length - 5} more` : "";
  return `Waiting for the DTS pre-migration check of ${shown}${more}`;
}

/**
 * The Action: reads the inputs, runs the gate, then reports through outputs, the job summary,
 * annotations and the step's result. Resolves to the exit code (the CLI's codes); never throws
 * for a configuration error or a closed gate.
 */
export async function runAction(deps: ActionDeps): Promise<number> {
  const { core, env } = deps;
  const getInput: GetInput = (name) => core.getInput(name);

  // Before anything is printed: every credential the inputs or the environment hold; the
  // temporary ones as soon as they are known, renewed ones before the next line.
  const masks = new Masks(core);
  masks.add(secretsToMask(getInput, env));
  const redact = (text: string) => redactSecrets(text, masks.current());
  const log = createSafeLog((line) => core.info(line), redact);
  // Annotation data is escaped by @actions/core; `##[` (the legacy command syntax) is defanged too.
  const annotationText = (text: string) => redact(text).replaceAll("##[", "# #[");
  const fail = (message: string) => core.setFailed(annotationText(message));

  /** A configuration error (bad input, unreachable --redis-url): no request was sent. */
  const configFailure = (message: string) => {
    core.setOutput("passed", "false");
    core.setOutput("status", "");
    core.setOutput("check-flag", "");
    core.setOutput("brief-msg", "");
    for (const [name, value] of Object.entries(NO_MIGRATION_OUTPUTS)) core.setOutput(name, value);
    core.setOutput("result", redact(logSafeJson(usageErrorDocument(message))));
    fail(`dts-gate: ${clean(message)}`);
    return EXIT_CODES.usage;
  };

  let inputs: ActionConfig;
  try {
    inputs = readInputs(getInput, env);
  } catch (error) {
    if (error instanceof ConfigError) return configFailure(error.message);
    throw error;
  }

  // The lag of every migration over the wait, for the job summary's chart.
  const lag = new LagHistory();
  // Armed before anything else: a signal or the deadline at any moment still ends with every output.
  const scope = new RunScope({ timeoutMs: inputs.timeoutMs, onSignal: deps.onSignal });
  try {
    const ended = await runWaitInScope(
      {
        jobIds: inputs.jobIds,
        outputFiles: actionFiles(env),
        findCredentials: (signal) =>
          findRunCredentials({
            ...chainOptions(inputs.credentials, env, (audience) => core.getIDToken(audience)),
            signal,
          }),
        onCredentials(found) {
          masks.follow(found.credentials);
          log.text(`credentials from ${found.credentialSource}`);
        },
        configOf: (found) => ({ ...inputs, ...found, proxyEnv: env }),
        run: (config, hooks) => runGateLogged(deps, config, hooks, log, lag),
        hooks: { onNotice: (text) => log.text(text) },
      },
      scope,
    );
    if (ended.kind === "usage") return configFailure(ended.message);
    // API text was cleaned when it was read, so secrets are found as they are shown; they go before
    // any escaping, as an escaped secret (`-` → `&#45;`) would not be found later.
    const result = redactDeep(ended.result, redact);
    await writeOutputs(core, result, { redact, log, annotationText, lagOf: (jobId) => lag.of(jobId) });
    if (ended.stopSignal) fail(`${result.reason} (${ended.stopSignal})`);
    // The report ends with the reason; a closed gate also fails the step with it.
    else if (ended.exitCode !== EXIT_CODES.open) fail(result.reason);
    return ended.exitCode;
  } finally {
    scope.close();
  }
}

/** The runner's files the Action writes at its end (outputs, summary): checked before any request. */
function actionFiles(env: Env): OutputFile[] {
  const files: OutputFile[] = [];
  if (env.GITHUB_OUTPUT) files.push({ path: env.GITHUB_OUTPUT, what: "GITHUB_OUTPUT" });
  if (env.GITHUB_STEP_SUMMARY) files.push({ path: env.GITHUB_STEP_SUMMARY, what: "GITHUB_STEP_SUMMARY" });
  return files;
}

/**
 * Every value masked with core.setSecret once, before any line that could hold it: the inputs'
 * at the start, and a renewing credential source's new keys and tokens as they appear.
 */
class Masks {
  readonly #masked = new Set<string>();
  #source: CredentialSource | undefined;

  constructor(private readonly core: Pick<ActionCore, "setSecret">) {}

  add(values: readonly string[]) {
    for (const value of values) {
      if (value.trim() === "" || this.#masked.has(value)) continue;
      this.#masked.add(value);
      this.core.setSecret(value);
    }
  }

  follow(source: CredentialSource) {
    this.#source = source;
    this.add(source.secrets());
  }

  /** Every secret so far, the source's newest included (masked first). */
  current(): string[] {
    if (this.#source) this.add(this.#source.secrets());
    return [...this.#masked];
  }
}

/** The gate, its progress in the log, inside a group and with workflow commands off. */
async function runGateLogged(
  deps: ActionDeps,
  config: RunConfig,
  hooks: RunHooks,
  log: SafeLog,
  lag: LagHistory,
): Promise<GateResult> {
  const progress = createProgress({
    write: (text) => log.text(text),
    live: false,
    style: { color: false },
    now: systemClock.now,
    verbose: false,
    failOnWarning: config.failOnWarning,
  });
  const run = deps.run ?? runWithRealClock;
  deps.core.startGroup(groupTitle(config.jobIds));
  try {
    const onEvent = (event: GateEvent) => {
      lag.onEvent(event);
      progress.onEvent(event);
    };
    return await log.fenced(() => run(config, { ...hooks, onEvent }));
  } finally {
    deps.core.endGroup();
    progress.finish();
  }
}

interface OutputTools {
  readonly redact: (text: string) => string;
  readonly log: SafeLog;
  readonly annotationText: (text: string) => string;
  readonly lagOf: (jobId: string) => readonly LagPoint[];
}

/**
 * Outputs first (what a later step reads), then the report, the summary and the annotations: each
 * on its own, so that one that fails cannot keep the others from being written.
 */
async function writeOutputs(core: ActionCore, result: GateResult, tools: OutputTools): Promise<void> {
  const { redact, log, annotationText, lagOf } = tools;
  const attempt = async (what: string, write: () => unknown) => {
    try {
      await write();
    } catch (error) {
      core.warning(annotationText(`dts-gate: could not write the ${what}: ${describeUnexpected(error)}`));
    }
  };
  const decider = decidingJob(result);
  core.setOutput("passed", String(result.passed));
  core.setOutput("status", redact(decider?.status ?? ""));
  core.setOutput("check-flag", redact(decider?.checkFlag ?? ""));
  core.setOutput("brief-msg", redact(decider?.briefMsg ?? ""));
  for (const [name, value] of Object.entries(migrationOutputs(result))) core.setOutput(name, value);
  core.setOutput("compare-conclusion", redact(decider?.compare?.conclusion ?? ""));
  await attempt("result output", () => core.setOutput("result", redact(logSafeJson(toJsonDocument(result)))));
  await attempt("report", () => log.fenced(async () => log.text(renderReport(result, { color: false }))));
  try {
    await core.writeSummary(redact(renderSummary(result, undefined, lagOf)));
  } catch (error) {
    core.debug(`no job summary written: ${redact(error instanceof Error ? error.message : String(error))}`);
  }
  await attempt("annotations", () => {
    for (const annotation of buildAnnotations(result)) {
      core[annotation.level](annotationText(annotation.message), { title: annotationText(annotation.title) });
    }
  });
}

/** The job that decided the gate: the worst outcome (4 > 3 > 1 > 0), the first of equals. */
export function decidingJob(result: GateResult): JobReport | undefined {
  const codeOf = (job: JobReport) => exitCodeOf(job.outcome, result.failOnWarning && job.warnings.length > 0);
  return result.jobs.reduce<JobReport | undefined>(
    (worst, job) => (worst === undefined || codeOf(job) > codeOf(worst) ? job : worst),
    undefined,
  );
}
