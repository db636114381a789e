// What the HTTP layer alone costs: N DescribeMigrationCheckJob calls in a row, one keep-alive
// connection, no gate around them (no limiter, retry, signing per call or progress), with:
//   undici     undici's Client and `request`, as src/tencent/client.ts uses them;
//   node-http  node:http with a keep-alive agent (what the official SDK runs on);
//   node-net   HTTP/1.1 written and read by hand over node:net (what no library costs).
// Every call sends the same headers, signed once at start (the simulator accepts a signature for
// 300 s), and parses the JSON answer. Writes the whole process's
// CPU time at exit to BENCH_REPORT, as sdk-loop.mjs does: a run of N + 1 calls less a run of 1.
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { Client } from "undici";
import { pacedCalls } from "./paced.mjs";
import { reportUsageAtExit } from "./usage-report.mjs";

const [mode, url, countText, jobId] = process.argv.slice(2);
const count = Number(countText);
const reportPath = process.env.BENCH_REPORT;
const secretId = process.env.TENCENTCLOUD_SECRET_ID;
const secretKey = process.env.TENCENTCLOUD_SECRET_KEY;
if (!["undici", "node-http", "node-net"].includes(mode) || !url || !(count >= 1) || !jobId || !reportPath) {
  process.stderr.write("usage: BENCH_REPORT=FILE node http-floor.mjs undici|node-http|node-net URL N JOB_ID\n");
  process.exit(2);
}

const target = new URL(url);
const payload = JSON.stringify({ JobId: jobId });
const timestamp = Math.floor(Date.now() / 1000);
const contentType = "application/json; charset=utf-8";
const headers = {
  "content-type": contentType,
  host: target.host,
  "x-tc-action": "DescribeMigrationCheckJob",
  "x-tc-version": "2021-12-06",
  "x-tc-timestamp": String(timestamp),
  authorization: authorization(),
};

/**
 * TC3-HMAC-SHA256 of this one request, as Tencent Cloud API 3.0 defines it (the official SDK's
 * signer is not part of its public API). The simulator checks it: a wrong one fails check().
 */
function authorization() {
  const sha256 = (data) => createHash("sha256").update(data).digest("hex");
  const hmac = (key, data) => createHmac("sha256", key).update(data).digest();
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/dts/tc3_request`;
  const signed = "content-type;host";
  const canonical = [
    "POST",
    "/",
    "",
    `content-type:${contentType}\nhost:${target.hostname}\n`,
    signed,
    sha256(payload),
  ];
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical.join("\n"))}`;
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), "dts"), "tc3_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
}

/** The answer's body, checked to be an API answer and not an error envelope. */
function check(body) {
  const answer = JSON.parse(body).Response;
  if (typeof answer?.Status !== "string")
    throw new Error(`not a DescribeMigrationCheckJob answer: ${body.slice(0, 200)}`);
}

function undiciCall() {
  const client = new Client(target.origin);
  const options = { path: "/", method: "POST", headers, body: payload };
  return async () => (await client.request(options)).body.text();
}

function nodeHttpCall() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const options = { host: target.hostname, port: target.port, path: "/", method: "POST", headers, agent };
  return () =>
    new Promise((resolve, reject) => {
      const request = http.request(options, (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      });
      request.on("error", reject);
      request.end(payload);
    });
}

async function nodeNetCall() {
  const socket = net.connect(Number(target.port), target.hostname);
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const head = Object.entries({ ...headers, "content-length": String(Buffer.byteLength(payload)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  const request = `POST / HTTP/1.1\r\n${head}\r\n${payload}`;
  let waiting;
  let buffered = Buffer.alloc(0);
  // Enough HTTP/1.1 for this server: a Content-Length body, one answer per request.
  socket.on("data", (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const headEnd = buffered.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    const length = Number(/content-length: *(\d+)/i.exec(buffered.subarray(0, headEnd).toString("latin1"))?.[1]);
    if (buffered.length < headEnd + 4 + length) return;
    const body = buffered.subarray(headEnd + 4, headEnd + 4 + length).toString("utf8");
    buffered = buffered.subarray(headEnd + 4 + length);
    waiting?.(body);
  });
  return () =>
    new Promise((resolve) => {
      waiting = resolve;
      socket.write(request);
    });
}

let calls = 0;
reportUsageAtExit(reportPath, () => ({ calls }));

const call = mode === "undici" ? undiciCall() : mode === "node-http" ? nodeHttpCall() : await nodeNetCall();
await pacedCalls(count, call, (answer) => {
  check(answer);
  calls++;
});
process.exit(0);
