// The reference: N DescribeMigrationCheckJob calls in a row with the official Node SDK
// (tencentcloud-sdk-nodejs-common, CommonClient), set up as test/simulator/sdk.test.ts does.
// Writes the whole process's CPU time at exit to BENCH_REPORT, exactly like cpu-wrap.mjs, so that
// the difference between a run of N calls and a run of 1 call is the cost of N − 1 calls.
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { pacedCalls } from "./paced.mjs";
import { reportUsageAtExit } from "./usage-report.mjs";

const [url, countText, jobId] = process.argv.slice(2);
const count = Number(countText);
const reportPath = process.env.BENCH_REPORT;
const secretId = process.env.TENCENTCLOUD_SECRET_ID;
const secretKey = process.env.TENCENTCLOUD_SECRET_KEY;
if (!url || !(count >= 1) || !jobId || !reportPath || !secretId || !secretKey) {
  process.stderr.write("usage: BENCH_REPORT=FILE TENCENTCLOUD_SECRET_ID=… node sdk-loop.mjs URL N JOB_ID\n");
  process.exit(2);
}

let calls = 0;
let errors = 0;
reportUsageAtExit(reportPath, () => ({ calls, errors }));

const host = new URL(url).host;
const client = new CommonClient(host, "2021-12-06", {
  credential: { secretId, secretKey },
  region: "ap-guangzhou",
  profile: { httpProfile: { endpoint: host, protocol: "http://", reqTimeout: 10 } },
});
async function call() {
  try {
    const answer = await client.request("DescribeMigrationCheckJob", { JobId: jobId });
    return typeof answer?.Status === "string";
  } catch {
    return false;
  }
}
await pacedCalls(count, call, (ok) => {
  if (!ok) errors++;
  calls++;
});
