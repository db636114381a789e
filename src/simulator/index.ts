/** The embedded stand-in for dts.tencentcloudapi.com: `dts-gate simulate`, the demo and the tests. */

export { isSimulatedJobId } from "./actions.js";
export type { TemporaryCredentialBook, TemporaryCredentials } from "./credential-book.js";
export { FAULT_KINDS, FAULT_SPEC_FORMAT, type FaultKind, type FaultRule, parseFaultSpec } from "./faults.js";
export { CAM_ROLE_NAME_PATTERN } from "./options.js";
export type { SimRequest } from "./request.js";
export { CHECK_STEPS, isScenarioName, SCENARIO_NAMES, type ScenarioName } from "./scenarios.js";
export {
  type AnswerRequest,
  DEMO_SECRET_ID,
  DEMO_SECRET_KEY,
  type RawAnswer,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "./server.js";
