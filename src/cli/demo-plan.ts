import type { ScenarioName } from "../simulator/index.js";
import { SCENARIO_NAMES } from "../simulator/scenarios.js";

/** What `demo` can play: every simulator scenario, and `cutover`, the whole pipeline on one job. */
export const DEMO_SCENARIOS = [...SCENARIO_NAMES, "cutover"] as const;
export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

export function isDemoScenario(value: string): value is DemoScenario {
  return (DEMO_SCENARIOS as readonly string[]).includes(value);
}

/** Scenarios whose job passes the check and then migrates: the demo starts it and watches it. */
const MIGRATING: ReadonlySet<string> = new Set(["migrate", "migrate-full", "migrate-failed", "lag-stuck", "paused"]);

/** The demo's default pace (`--step-ms`, `--migrate-ms`): slow enough to watch each step go by. */
export const DEMO_STEP_MS = 300;
export const DEMO_MIGRATE_MS = 4000;
/** The demo's longest settle: Tencent's minute at zero lag is too long to watch. */
export const DEMO_SETTLE_MS = 2000;

/** What the demo runs for a scenario: the simulator's scenario and the phases `wait` is asked for. */
export interface DemoPlan {
  readonly simulatorScenario: ScenarioName;
  readonly createCheck: boolean;
  readonly start: boolean;
  readonly until: "check" | "ready" | "done";
  readonly complete: boolean;
  /** A consistency check once the job is ready. */
  readonly compare: boolean;
  /** Half the migration's time, at most DEMO_SETTLE_MS: a faster pace settles faster too. */
  readonly settleMs: number;
  /** When --timeout is not given. */
  readonly timeoutMs: number;
}

export function demoPlan(scenario: DemoScenario, migrateMs = DEMO_MIGRATE_MS): DemoPlan {
  const base = {
    settleMs: Math.min(DEMO_SETTLE_MS, Math.floor(migrateMs / 2)),
    createCheck: false,
    complete: false,
    compare: false,
  };
  if (scenario === "cutover") {
    // The check re-run, the start, the wait for ready, the consistency check, the cut-over and the
    // wait for success.
    return {
      ...base,
      simulatorScenario: "migrate",
      createCheck: true,
      start: true,
      until: "done",
      compare: true,
      complete: true,
      timeoutMs: 30_000,
    };
  }
  if (scenario === "different") {
    // The migration gets ready; its consistency check finds tables that differ.
    return { ...base, simulatorScenario: scenario, start: true, until: "ready", compare: true, timeoutMs: 15_000 };
  }
  if (MIGRATING.has(scenario)) {
    return { ...base, simulatorScenario: scenario, start: true, until: "ready", timeoutMs: 15_000 };
  }
  return { ...base, simulatorScenario: scenario, start: false, until: "check", timeoutMs: 15_000 };
}
