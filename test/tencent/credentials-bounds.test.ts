import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY } from "../../src/simulator/index.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { ApiError, ConfigError } from "../../src/tencent/errors.js";
import { MAX_CONFIG_FILE_BYTES, readTextIfExists } from "../../src/tencent/profiles.js";
import { assumeRole } from "../../src/tencent/sts.js";
import { type Loopback, loopback } from "./loopback.js";
import { type KeylessServer, ROLE, resolve, startKeylessServer } from "./sts-fixture.js";

/** Every STS and metadata request ends by the run's signal or its own bound; files cannot hang. */
const KEYS = { TENCENTCLOUD_SECRET_ID: DEMO_SECRET_ID, TENCENTCLOUD_SECRET_KEY: DEMO_SECRET_KEY };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function keyless(options: Parameters<typeof startKeylessServer>[0]): Promise<KeylessServer> {
  const server = await startKeylessServer(options);
  cleanups.push(() => server.close());
  return server;
}

/** A server that reads each request and never answers. */
async function silent(): Promise<Loopback> {
  const server = await loopback((request) => request.resume());
  cleanups.push(() => server.close());
  return server;
}

async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return { error, ms: performance.now() - started };
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "dts-gate-files-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("credentials STS hands out already expiring", () => {
  it.each([1, 120, 300])("with %i s left: a fatal error after one AssumeRole, never used", async (ttlSec) => {
    const server = await keyless({ credentialTtlSec: ttlSec });
    const env = { ...KEYS, TENCENTCLOUD_ROLE_ARN: ROLE, TENCENTCLOUD_STS_ENDPOINT: server.url };
    const { error } = await rejection(resolve({ env }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: "fatal", code: "CredentialsExpired" });
    expect((error as Error).message).toMatch(/within the 300 s renewal margin/);
    expect(server.requests).toHaveLength(1);
  });

  it("with more than the margin left: used", async () => {
    const server = await keyless({ credentialTtlSec: 330 });
    const env = { ...KEYS, TENCENTCLOUD_ROLE_ARN: ROLE, TENCENTCLOUD_STS_ENDPOINT: server.url };
    expect((await resolve({ env })).source).toContain("assumed");
  });
});

describe("an STS that never answers", () => {
  it("the run's signal ends AssumeRole at once", async () => {
    const sts = await silent();
    const env = { ...KEYS, TENCENTCLOUD_ROLE_ARN: ROLE, TENCENTCLOUD_STS_ENDPOINT: sts.url };
    const { error, ms } = await rejection(resolve({ env, signal: AbortSignal.timeout(150) }));
    expect(error).toMatchObject({ kind: "fatal", code: "Aborted" });
    expect(ms).toBeLessThan(1_000);
  });

  it("the run's signal ends AssumeRoleWithWebIdentity at once", async () => {
    const sts = await silent();
    const webIdentity = { roleArn: ROLE, providerId: "gh", sessionName: "s", token: async () => "oidc" };
    const env = { TENCENTCLOUD_STS_ENDPOINT: sts.url };
    const { error, ms } = await rejection(resolve({ env, webIdentity, signal: AbortSignal.timeout(150) }));
    expect(error).toMatchObject({ kind: "fatal", code: "Aborted" });
    expect(ms).toBeLessThan(1_000);
  });

  it("without a signal, the call's own bound ends it, retries included", async () => {
    const sts = await silent();
    const options = { endpoint: new URL(sts.url), callTimeoutMs: 300, requestTimeoutMs: 60_000 };
    const request = { roleArn: ROLE, sessionName: "s" };
    const { error, ms } = await rejection(assumeRole(options, new Credentials("AKIDx", "k"), request));
    expect(error).toMatchObject({ kind: "fatal", code: "RequestTimeout" });
    expect((error as Error).message).toMatch(/gave no credentials within 300 ms/);
    expect(ms).toBeLessThan(1_300);
  });
});

describe("a metadata service that never answers", () => {
  it("the run's signal ends the CVM role's request before its own bound", async () => {
    const metadata = await silent();
    const env = { TENCENTCLOUD_METADATA_ENDPOINT: metadata.url };
    const run = resolve({ env, metadataTimeoutMs: 20_000, signal: AbortSignal.timeout(150) });
    const { error, ms } = await rejection(run);
    expect(error).toMatchObject({ kind: "fatal", code: "Aborted" });
    expect(ms).toBeLessThan(1_000);
  });
});

describe("files that are not regular files", () => {
  it("a FIFO as the credentials file, the tccli file or the TKE token file is a ConfigError, at once", async () => {
    const dir = scratch();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    mkdirSync(join(dir, ".tccli"));
    execFileSync("mkfifo", [join(dir, ".tccli", "default.credential")]);
    const read = readTextIfExists;
    // Each started only when awaited: a rejection nobody awaits yet would be unhandled.
    const cases = [
      () => resolve({ env: { TENCENTCLOUD_CREDENTIALS_FILE: fifo }, readText: read }),
      () => resolve({ env: {}, homeDir: dir, readText: read }),
      () =>
        resolve({
          env: { TKE_PROVIDER_ID: "p", TKE_WEB_IDENTITY_TOKEN_FILE: fifo, TKE_ROLE_ARN: ROLE },
          readText: read,
        }),
    ];
    for (const start of cases) {
      const { error, ms } = await rejection(start());
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/is not a regular file/);
      // A FIFO nobody writes would hang for good: any bound far below that proves it.
      expect(ms).toBeLessThan(5_000);
    }
  });

  it("a directory or a device is refused; a file over the bound too; a missing one is absent", async () => {
    const dir = scratch();
    await expect(readTextIfExists(dir)).rejects.toThrow(/is not a regular file/);
    await expect(readTextIfExists("/dev/zero")).rejects.toThrow(/is not a regular file/);
    const big = join(dir, "big");
    writeFileSync(big, Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1, 0x61));
    await expect(readTextIfExists(big)).rejects.toThrow(/is over/);
    const fine = join(dir, "fine");
    writeFileSync(fine, "[default]\n");
    expect(await readTextIfExists(fine)).toBe("[default]\n");
    expect(await readTextIfExists(join(dir, "missing"))).toBeUndefined();
  });
});
