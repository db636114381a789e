import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TemporaryCredentials } from "../../src/simulator/credential-book.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { runActionProcess } from "./helpers.js";

/*
 * dist/action.js keyless, as a GitHub job with `permissions: id-token: write` runs it: a local
 * stand-in for GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN), the simulator as
 * STS and DTS. No SecretId or SecretKey anywhere.
 */

const OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.github-oidc-for-the-test.sig";
const RUNTIME_TOKEN = "runtime-request-token-0123";
const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
let simulator: Simulator;
let github: Server;
let tokenUrl = "";
const tokenRequests: { url: string; authorization: string | undefined }[] = [];
const issued: TemporaryCredentials[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ scenario: "pass", stepMs: 5, oidcTokens: [OIDC_TOKEN] });
  // Every temporary credential the simulated STS hands out, to look for them in the outputs.
  const book = simulator.credentialBook;
  const issue = book.issue.bind(book);
  book.issue = (ttlSec, nowMs) => {
    const credentials = issue(ttlSec, nowMs);
    issued.push(credentials);
    return credentials;
  };
  github = createServer((request: IncomingMessage, response) => {
    tokenRequests.push({ url: request.url ?? "", authorization: request.headers.authorization });
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ value: OIDC_TOKEN }));
  });
  await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
  tokenUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}/token?api-version=2.0`;
});

afterAll(async () => {
  await simulator.close();
  await new Promise((resolve) => github.close(resolve));
});

const inputs = () => ({
  "job-id": "dts-1ewjspuw",
  "role-arn": ROLE_ARN,
  "oidc-provider-id": "github-actions",
  endpoint: simulator.url,
  interval: "0.05",
  timeout: "20",
});

describe("the Action without keys", () => {
  it("exchanges GitHub's OIDC token for temporary credentials, waits, and never shows them", async () => {
    const run = await runActionProcess({
      inputs: inputs(),
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: tokenUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: RUNTIME_TOKEN,
        TENCENTCLOUD_STS_ENDPOINT: simulator.url,
        GITHUB_REPOSITORY: "acme/db-migrations",
        GITHUB_RUN_ID: "4242",
      },
    });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.outputs.passed).toBe("true");
    expect(tokenRequests.at(-1)?.url).toContain("audience=sts.tencentcloudapi.com");
    expect(tokenRequests.at(-1)?.authorization).toBe(`Bearer ${RUNTIME_TOKEN}`);
    const exchange = simulator.arrivals.find((arrival) => arrival.action === "AssumeRoleWithWebIdentity");
    expect(exchange).toBeDefined();
    expect(issued.length).toBeGreaterThan(0);
    const everything = run.stdout + run.stderr + run.outputsFile + run.summary;
    for (const credentials of issued) {
      // Masked before any other line, then never printed.
      expect(run.stdout.indexOf(`::add-mask::${credentials.secretKey}`)).toBeGreaterThanOrEqual(0);
      const unmasked = everything
        .replaceAll(`::add-mask::${credentials.secretKey}`, "")
        .replaceAll(`::add-mask::${credentials.token}`, "");
      expect(unmasked).not.toContain(credentials.secretKey);
      expect(unmasked).not.toContain(credentials.token);
    }
    expect(everything.replaceAll(`::add-mask::${OIDC_TOKEN}`, "")).not.toContain(OIDC_TOKEN);
    expect(run.stdout).toContain("credentials from");
  });

  it("says what the workflow lacks when GitHub offers no token (no id-token: write)", async () => {
    const run = await runActionProcess({ inputs: inputs(), env: { TENCENTCLOUD_STS_ENDPOINT: simulator.url } });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("permissions: id-token: write");
    expect(run.outputs.passed).toBe("false");
    expect(JSON.parse(run.outputs.result ?? "{}").error.code).toBe("UsageError");
  });

  it("a role ARN of the wrong form is exit 2 before any request", async () => {
    const before = simulator.arrivals.length;
    const run = await runActionProcess({ inputs: { ...inputs(), "role-arn": "arn:aws:iam::1:role/x" }, env: {} });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("is not a role ARN");
    expect(simulator.arrivals.length).toBe(before);
  });
});
