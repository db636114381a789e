// A minimal loopback stand-in for DescribeMigrationCheckJob that records when each request
// arrived (server side, performance.now() of this process) and for which job. It answers in the
// real shape (Response: RequestId, CheckFlag, BriefMsg, Status, 13 StepInfo entries) but checks no
// signature and has no rate limit of its own: it is the measuring instrument for rate compliance
// and detection latency, where the arrival times are the figures. Like the embedded simulator, a
// job's check starts running when the job is first seen and turns terminal (success/checkPass)
// `checkMsOf(jobId)` later, 13 steps of equal length.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";

const STEPS = [
  ["ConnectDBCheck", "Database connection check"],
  ["VersionCheck", "Version check"],
  ["SrcPrivilegeCheck", "Source instance permission check"],
  ["SimpleParamCheck", "Partial instance parameter check"],
  ["DstPrivilegeCheck", "Target instance permission check"],
  ["DstEmptyCheck", "Target instance content conflict check"],
  ["DstSpaceCheck", "Target instance space check"],
  ["BinlogParamCheck", "Binlog parameter check"],
  ["ConstraintCheck", "Foreign key dependency check"],
  ["ConstraintRefCheck", "Partial database/table foreign key dependency check"],
  ["ViewCheck", "View check"],
  ["WarningParamCheck", "Warning item check"],
  ["OptimizeCheck", "Peripheral check"],
];

function view(elapsedMs, checkMs) {
  const done = elapsedMs >= checkMs ? STEPS.length : Math.floor((elapsedMs / checkMs) * STEPS.length);
  const StepInfo = STEPS.map(([StepId, StepName], StepNo) => ({
    DetailCheckItems: [],
    HasSkipped: false,
    StepId,
    StepMessage: "",
    StepName,
    StepNo,
    StepStatus: StepNo < done ? "pass" : "notStarted",
  }));
  if (done >= STEPS.length) return { CheckFlag: "checkPass", BriefMsg: "success", Status: "success", StepInfo };
  return { CheckFlag: "", BriefMsg: "", Status: "running", StepInfo };
}

/**
 * @param {{ checkMsOf: (jobId: string) => number }} options
 * @returns {Promise<{ url: string, arrivals: { atMs: number, jobId: string }[], firstSeen: Map<string, number>,
 *   terminalAt: (jobId: string) => number | undefined, close: () => Promise<void> }>}
 */
export function startRecordingServer({ checkMsOf }) {
  const arrivals = [];
  const firstSeen = new Map();
  const server = createServer((req, res) => {
    const atMs = performance.now();
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      let jobId = "";
      try {
        jobId = String(JSON.parse(Buffer.concat(chunks).toString("utf8")).JobId ?? "");
      } catch {}
      arrivals.push({ atMs, jobId, action: String(req.headers["x-tc-action"] ?? "") });
      if (!firstSeen.has(jobId)) firstSeen.set(jobId, atMs);
      const started = firstSeen.get(jobId);
      const body = JSON.stringify({
        Response: { RequestId: randomUUID(), ...view(performance.now() - started, checkMsOf(jobId)) },
      });
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        Date: new Date().toUTCString(),
      });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        arrivals,
        firstSeen,
        terminalAt: (jobId) => (firstSeen.has(jobId) ? firstSeen.get(jobId) + checkMsOf(jobId) : undefined),
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
