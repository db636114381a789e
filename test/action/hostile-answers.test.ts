import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../../src/action/run.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type Simulator, startSimulator } from "../../src/simulator/index.js";
import { fakeCore } from "./fake-core.js";
import { decodeEntities } from "./helpers.js";

/* The Action in this process, its gate real over loopback HTTP, the simulator answering as told. */

// Characters the summary escapes (`-`, `:`, `_`) so that only redaction before escaping can find it.
const TOKEN = "sess-ion:Tok_en-NeverShown0123";
let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({
    answer: (request) =>
      request.action === "DescribeMigrationCheckJob"
        ? {
            body: JSON.stringify({
              Response: {
                RequestId: "r-1",
                Status: "success",
                CheckFlag: "checkNotPass",
                // The token echoed with a control character inside, and a forged workflow command.
                BriefMsg: `${TOKEN.slice(0, 10)}\u0007${TOKEN.slice(10)}\r::error::forged`,
                StepInfo: [
                  {
                    StepNo: 1,
                    StepName: `step ${TOKEN.slice(0, 5)}\u001b[0m${TOKEN.slice(5)}`,
                    StepStatus: "failed",
                    // Echoed again with format characters inside (zero-width space, soft hyphen) and
                    // a bidi override that would reorder the line.
                    StepMessage: `${TOKEN.slice(0, 8)}\u200b${TOKEN.slice(8, 16)}\u00ad${TOKEN.slice(16)} \u202eDESSAP\u202c`,
                    HasSkipped: false,
                    DetailCheckItems: [{ CheckItemName: "item", CheckResult: "failed", HelpDoc: "not a list" }],
                  },
                ],
              },
            }),
          }
        : undefined,
  });
});
afterAll(async () => {
  await simulator.close();
});

describe("the Action under a hostile answer", () => {
  it("redacts a token the server echoes with control or format characters, in every output", async () => {
    const fake = fakeCore({
      "job-id": "dts-1ewjspuw",
      "secret-id": DEMO_SECRET_ID,
      "secret-key": DEMO_SECRET_KEY,
      "session-token": TOKEN,
      endpoint: simulator.url,
      interval: "0.05",
      timeout: "10",
    });
    const code = await runAction({ core: fake.core, env: {}, onSignal: () => () => {} });
    expect(code).toBe(1);
    const everything = [
      ...fake.calls.filter((call) => call[0] !== "setSecret").map((call) => JSON.stringify(call)),
      ...fake.summaries.map(decodeEntities),
    ].join("\n");
    expect(everything).toContain("gate closed");
    expect(everything).not.toContain(TOKEN);
    expect(everything).toContain("*** DESSAP");
    expect(everything).not.toMatch(/[\u00ad\u200b\u202a-\u202e]/);
    expect(everything).not.toContain("\r::error::");
    expect(JSON.parse(String(fake.outputs().result)).jobs[0].outcome).toBe("notPass");
  });
});
