// The GitHub Action's entry (dist/action.js): wires @actions/core and the process to runAction.
import * as core from "@actions/core";
import { exitAfterDrain, listenForSignalsEarly } from "../app/signals.js";
import { EXIT_CODES } from "../core/verdict.js";
import { quietly } from "../output/safe-output.js";
import { type ActionCore, type AnnotationProperties, runAction } from "./run.js";

// Writing the log, an output, an annotation or the step's result never throws (a full disk, a
// closed pipe): the step still ends with the verdict's exit code and every other output.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
const actionCore: ActionCore = {
  getInput: (name) => core.getInput(name),
  setSecret: quietly((secret: string) => core.setSecret(secret)),
  getIDToken: (audience) => core.getIDToken(audience),
  info: quietly((message: string) => core.info(message)),
  debug: quietly((message: string) => core.debug(message)),
  error: quietly((message: string, properties?: AnnotationProperties) => core.error(message, properties)),
  warning: quietly((message: string, properties?: AnnotationProperties) => core.warning(message, properties)),
  notice: quietly((message: string, properties?: AnnotationProperties) => core.notice(message, properties)),
  setFailed: quietly((message: string) => core.setFailed(message)),
  setOutput: quietly((name: string, value: string) => core.setOutput(name, value)),
  startGroup: quietly((name: string) => core.startGroup(name)),
  endGroup: quietly(() => core.endGroup()),
  writeSummary: async (markdown) => {
    await core.summary.addRaw(markdown).write();
  },
};

const signals = listenForSignalsEarly();

runAction({ core: actionCore, env: process.env, onSignal: signals.onSignal }).then(
  // setFailed sets 1; the step ends with the CLI's exit code (2 usage, 3 timeout, 4 API error, …).
  (code) => exitAfterDrain(code, signals),
  (error: unknown) => {
    signals.stop();
    // A bug, not a verdict: the step still ends with outputs a later step can read.
    const message = `dts-gate: unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    core.setOutput("passed", "false");
    // No exception text in the output: the runner masks secrets in the log, not in outputs.
    const said = "dts-gate: unexpected error (see the step's log)";
    core.setOutput(
      "result",
      JSON.stringify({ passed: false, reason: said, error: { code: "UnexpectedError", message: said }, jobs: [] }),
    );
    core.setFailed(message);
    process.exitCode = EXIT_CODES.error;
  },
);
