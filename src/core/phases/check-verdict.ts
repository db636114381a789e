import type { DescribeMigrationCheckJobResponse } from "../../tencent/types.js";

const TERMINAL_STATUSES = new Set(["success", "failed"]);
const KNOWN_STATUSES = new Set(["notStarted", "running", "success", "failed"]);

export interface Judgement {
  readonly state: "waiting" | "pass" | "notPass" | "failed";
  /** Something worth telling the user about this answer (an unknown value, a pending flag). */
  readonly note?: string;
}

/**
 * Reads one answer of DescribeMigrationCheckJob (through its validated view). Only `Status` exactly
 * "success" with `CheckFlag` exactly "checkPass" passes; unknown values wait, they never crash.
 */
export function judge(response: Pick<DescribeMigrationCheckJobResponse, "Status" | "CheckFlag">): Judgement {
  const { Status: status, CheckFlag: checkFlag } = response;
  if (status === "failed") return { state: "failed" };
  if (status === "success") {
    if (checkFlag === "checkPass") return { state: "pass" };
    if (checkFlag === "checkNotPass") return { state: "notPass" };
    return { state: "waiting", note: `Status success but CheckFlag ${JSON.stringify(checkFlag)}: no verdict yet` };
  }
  if (status !== null && !KNOWN_STATUSES.has(status)) {
    return { state: "waiting", note: `unexpected Status ${JSON.stringify(status)}` };
  }
  return { state: "waiting" };
}

export function isTerminalStatus(status: string | null): boolean {
  return status !== null && TERMINAL_STATUSES.has(status);
}
