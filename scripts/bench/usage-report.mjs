// The report every measured child of the bench writes when it exits: its exit code and the CPU
// time (user + sys, µs) and peak RSS of the whole process, plus the child's own counters.
import { writeFileSync } from "node:fs";

/** At exit, writes { code, userUs, systemUs, maxRssKb, ...fields() } as JSON to `reportPath`. */
export function reportUsageAtExit(reportPath, fields) {
  process.on("exit", (code) => {
    const cpu = process.cpuUsage();
    writeFileSync(
      reportPath,
      JSON.stringify({
        code,
        userUs: cpu.user,
        systemUs: cpu.system,
        maxRssKb: process.resourceUsage().maxRSS,
        ...fields(),
      }),
    );
  });
}
