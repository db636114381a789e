import { createServer } from "node:net";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { readCheckAnswer } from "../../src/core/phases/check-answer.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type Simulator, startSimulator } from "../../src/simulator/index.js";
import { createDtsClient, type DtsClient, type TraceEvent } from "../../src/tencent/client.js";
import { Credentials } from "../../src/tencent/credentials.js";
import type { DtsAction } from "../../src/tencent/types.js";
import { relayTo } from "../helpers/relay.js";

const JOB = "dts-1ewjspuw";
const demo = new Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY);
const opened: { simulator?: Simulator; client?: DtsClient }[] = [];

afterEach(async () => {
  for (const { simulator, client } of opened.splice(0)) {
    await client?.close();
    await simulator?.close();
  }
});

async function setup(
  options: Parameters<typeof startSimulator>[0] = {},
  clientOptions: Partial<Parameters<typeof createDtsClient>[0]> = {},
) {
  const simulator = await startSimulator({ stepMs: 10, ...options });
  const client = createDtsClient({
    endpoint: simulator.url,
    credentials: demo,
    requestTimeoutMs: 2_000,
    ...clientOptions,
  });
  opened.push({ simulator, client });
  return { simulator, client };
}

async function describeUntilDone(client: DtsClient, jobId = JOB) {
  for (let i = 0; i < 200; i++) {
    const result = await client.call("DescribeMigrationCheckJob", { JobId: jobId });
    if (!result.ok) return result;
    if (result.value.Status === "success" || result.value.Status === "failed") return result;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("check never finished");
}

describe("DTS client against the simulator", () => {
  it.each([
    ["pass", "success", "checkPass"],
    ["warning", "success", "checkPass"],
    ["not-pass", "success", "checkNotPass"],
    ["failed", "failed", "checkNotPass"],
  ] as const)("follows scenario %s to Status %s, CheckFlag %s", async (scenario, status, checkFlag) => {
    const { client } = await setup({ scenario });
    const result = await describeUntilDone(client);
    if (!result.ok) throw new Error(`expected an answer, got ${result.error.code}`);
    expect(result.value).toMatchObject({ Status: status, CheckFlag: checkFlag });
    const steps = readCheckAnswer(result.value).response.StepInfo;
    expect(steps?.map((step) => step.StepNo)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(result.value.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sees a stuck check running, and a flaky one pass once its faults are retried by hand", async () => {
    // The simulator's clock moves only when the test moves it: the check's progress between two
    // requests never depends on how fast a loaded machine sends them.
    let nowMs = Date.now();
    const now = () => nowMs;
    const stuck = await setup({ scenario: "stuck", now });
    nowMs += 200;
    const stuckAnswer = await stuck.client.call("DescribeMigrationCheckJob", { JobId: JOB });
    expect(stuckAnswer.ok && stuckAnswer.value.Status).toBe("running");

    // The simulator's per-second limit counts real arrivals: lifted, so that only the scenario's own
    // refusals come back, however fast the machine sends.
    const flaky = await setup({ scenario: "flaky", now, rate: 1_000_000 });
    const kinds: string[] = [];
    let final: string | null = null;
    for (let i = 0; i < 200 && final === null; i++) {
      const result = await flaky.client.call("DescribeMigrationCheckJob", { JobId: JOB });
      if (!result.ok) kinds.push(`${result.error.kind}:${result.error.code}`);
      else if (result.value.Status === "success") final = readCheckAnswer(result.value).response.CheckFlag;
      nowMs += 5;
    }
    expect(final).toBe("checkPass");
    expect(new Set(kinds)).toEqual(
      new Set(["throttled:RequestLimitExceeded", "transient:InternalError", "transient:HttpError"]),
    );
  });

  it("serves CreateMigrateCheckJob and StartMigrateJob with RequestIds", async () => {
    const { client } = await setup({ scenario: "pass" });
    const early = await client.call("StartMigrateJob", { JobId: JOB });
    expect(!early.ok && [early.error.kind, early.error.code]).toEqual(["fatal", "FailedOperation.StatusInConflict"]);
    await describeUntilDone(client);
    const started = await client.call("StartMigrateJob", { JobId: JOB });
    expect(started.ok && started.value.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const created = await client.call("CreateMigrateCheckJob", { JobId: JOB });
    expect(created.ok || created.error.code).toBe("FailedOperation.StatusInConflict");
  });
});

/** A TCP relay in front of the simulator that counts the connections made through it. */
async function countingRelay(target: URL) {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    relayTo(socket, Number(target.port), target.hostname);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("connections", () => {
  it.each([
    [1, 1],
    [3, 3],
    [undefined, 6],
  ] as const)("maxInFlight %s: six calls at once all answer, over %i connections", async (maxInFlight, expected) => {
    const simulator = await startSimulator({ stepMs: 10, rate: 100 });
    const relay = await countingRelay(new URL(simulator.url));
    const client = createDtsClient({
      endpoint: relay.url,
      credentials: demo,
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => client.call("DescribeMigrationCheckJob", { JobId: JOB })),
      );
      expect(results.map((result) => result.ok)).toEqual(Array(6).fill(true));
      expect(relay.connections()).toBe(expected);
    } finally {
      await client.close();
      await relay.close();
      await simulator.close();
    }
  });
});

describe("classification of every error the simulator produces", () => {
  const classify = async (
    simulatorOptions: Parameters<typeof startSimulator>[0],
    call: (client: DtsClient) => Promise<unknown>,
    clientOptions: Partial<Parameters<typeof createDtsClient>[0]> = {},
  ) => {
    const { client } = await setup(simulatorOptions, clientOptions);
    const result = (await call(client)) as Awaited<ReturnType<DtsClient["call"]>>;
    if (result.ok) throw new Error("expected an error");
    return result.error;
  };
  const describeJob = (client: DtsClient, jobId = JOB) => client.call("DescribeMigrationCheckJob", { JobId: jobId });

  it.each([
    ["AuthFailure.SignatureFailure", "fatal", { credentials: new Credentials(DEMO_SECRET_ID, "wrong-key") }],
    ["AuthFailure.SecretIdNotFound", "fatal", { credentials: new Credentials("AKIDunknown", DEMO_SECRET_KEY) }],
  ] as const)("%s is %s", async (code, kind, clientOptions) => {
    const error = await classify({}, describeJob, clientOptions);
    expect([error.code, error.kind, error.retryable]).toEqual([code, kind, false]);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("AuthFailure.SignatureExpire is clockSkew and carries the server's time", async () => {
    const error = await classify({ clockOffsetSec: 600 }, describeJob);
    expect([error.code, error.kind]).toEqual(["AuthFailure.SignatureExpire", "clockSkew"]);
    expect(Math.abs((error.serverTimeMs ?? 0) - (Date.now() + 600_000))).toBeLessThan(2_000);
  });

  it("signs with the adopted server clock afterwards", async () => {
    const { client } = await setup({ clockOffsetSec: -900 });
    const first = await describeJob(client);
    expect(!first.ok && first.error.kind).toBe("clockSkew");
    if (first.ok) throw new Error("expected a clock skew");
    expect(first.error.serverTimeMs).toBeTypeOf("number");
    client.adoptServerClock(first.error.serverTimeMs ?? 0);
    expect(Math.round(client.clockOffsetMs / 1000)).toBeCloseTo(-900, -1);
    expect((await describeJob(client)).ok).toBe(true);
  });

  it.each([
    ["MissingParameter", (client: DtsClient) => client.call("DescribeMigrationCheckJob", {})],
    ["InvalidParameterValue", (client: DtsClient) => describeJob(client, "not-a-job")],
    ["InvalidAction", (client: DtsClient) => client.call("DescribeNothing" as DtsAction, { JobId: JOB })],
  ])("%s is fatal", async (code, call) => {
    const error = await classify({}, call);
    expect([error.code, error.kind]).toEqual([code, "fatal"]);
  });

  it("ResourceNotFound is fatal", async () => {
    const error = await classify({ jobs: { "dts-abcdefgh": "pass" } }, describeJob);
    expect([error.code, error.kind, error.maybeApplied]).toEqual(["ResourceNotFound", "fatal", false]);
  });

  it("RequestLimitExceeded is throttled", async () => {
    // One request a second: calls in a row meet the limit at the second that comes within a
    // second of the one before, however slow the machine (fifty calls in a row are never all slower).
    const { client } = await setup({ rate: 1 });
    const codes: string[] = [];
    while (codes.length < 50 && !codes.includes("throttled:RequestLimitExceeded")) {
      const result = await describeJob(client);
      codes.push(result.ok ? "ok" : `${result.error.kind}:${result.error.code}`);
    }
    expect(codes.at(-1)).toBe("throttled:RequestLimitExceeded");
    expect(new Set(codes.slice(0, -1))).toEqual(new Set(["ok"]));
  });

  it.each([
    ["throttle", "throttled", "RequestLimitExceeded"],
    ["internal", "transient", "InternalError"],
    ["http502", "transient", "HttpError"],
    ["denied", "fatal", "UnauthorizedOperation"],
    ["reset", "transient", "NetworkError"],
    ["stall", "transient", "RequestTimeout"],
    ["truncated", "transient", "NetworkError"],
    ["invalidJson", "transient", "InvalidResponse"],
    ["emptyBody", "transient", "InvalidResponse"],
  ] as const)("fault %s is %s (%s)", async (kind, expectedKind, code) => {
    const error = await classify({ faults: [{ kind }] }, describeJob, { requestTimeoutMs: 300 });
    expect([error.kind, error.code]).toEqual([expectedKind, code]);
  });

  it("nullFields is a valid answer with nulls", async () => {
    const { client } = await setup({ faults: [{ kind: "nullFields" }] });
    const result = await describeJob(client);
    expect(result.ok && result.value).toMatchObject({ Status: null, CheckFlag: null, StepInfo: null, BriefMsg: null });
  });

  it("a cancelled call is fatal Aborted, and the trace never shows the signature or token", async () => {
    const traces: TraceEvent[] = [];
    const { client } = await setup(
      { faults: [{ kind: "stall" }] },
      {
        credentials: new Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY, "session-token-value"),
        trace: (e) => traces.push(e),
      },
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await client.call("DescribeMigrationCheckJob", { JobId: JOB }, { signal: controller.signal });
    expect(!result.ok && [result.error.kind, result.error.code]).toEqual(["fatal", "Aborted"]);
    const printed = JSON.stringify(traces);
    expect(printed).toContain("Signature=[redacted]");
    expect(printed).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(printed).not.toContain("session-token-value");
    expect(printed).not.toContain(DEMO_SECRET_KEY);
  });

  it("one signal cancels every exchange in flight under it, and only those; an aborted one sends nothing", async () => {
    const { simulator, client } = await setup({
      rate: 1_000,
      faults: [{ kind: "stall", jobId: "dts-stall001", count: Number.POSITIVE_INFINITY }],
    });
    const controller = new AbortController();
    const { signal } = controller;
    // Finished exchanges under the signal: their cancellation must not linger.
    for (let i = 0; i < 5; i++) {
      expect((await client.call("DescribeMigrationCheckJob", { JobId: JOB }, { signal })).ok).toBe(true);
    }
    const stalled = ["dts-stall001", "dts-stall001", "dts-stall001"].map((JobId) =>
      client.call("DescribeMigrationCheckJob", { JobId }, { signal }),
    );
    const other = client.call("DescribeMigrationCheckJob", { JobId: JOB });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    for (const result of await Promise.all(stalled)) {
      expect(!result.ok && [result.error.kind, result.error.code]).toEqual(["fatal", "Aborted"]);
    }
    expect((await other).ok).toBe(true);

    const arrivals = simulator.arrivals.length;
    const late = await client.call("DescribeMigrationCheckJob", { JobId: JOB }, { signal });
    expect(!late.ok && late.error.code).toBe("Aborted");
    expect(simulator.arrivals.length).toBe(arrivals);
  });

  it("treats an unmatched MockAgent interceptor as fatal, never as a network blip to retry", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://dts.tencentcloudapi.com")
      .intercept({ path: "/", method: "POST" })
      .reply(
        200,
        { Response: { RequestId: "r1", Status: "running", CheckFlag: "", BriefMsg: "", StepInfo: [] } },
        { headers: { "content-type": "application/json" } },
      );
    const client = createDtsClient({
      endpoint: "https://dts.tencentcloudapi.com",
      credentials: demo,
      dispatcher: agent,
    });
    const first = await client.call("DescribeMigrationCheckJob", { JobId: JOB });
    expect(first.ok && first.value.Status).toBe("running");
    const second = await client.call("DescribeMigrationCheckJob", { JobId: JOB });
    expect(!second.ok && second.error.kind).toBe("fatal");
    await agent.close();
  });
});
