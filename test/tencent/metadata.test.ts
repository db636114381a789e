import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { getGlobalDispatcher, ProxyAgent, setGlobalDispatcher } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/tencent/errors.js";
import { instanceRoleCredentials, MetadataError, metadataEndpoint } from "../../src/tencent/metadata.js";
import { type KeylessServer, startKeylessServer } from "./sts-fixture.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function keyless(options: Parameters<typeof startKeylessServer>[0]): Promise<KeylessServer> {
  const server = await startKeylessServer(options);
  closers.push(() => server.close());
  return server;
}

async function serve(listener: RequestListener): Promise<URL> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

describe("instanceRoleCredentials", () => {
  it("reads the role's name, then its temporary credentials", async () => {
    const sim = await keyless({ cvmRole: "dts-runner", credentialTtlSec: 1200 });
    const { role, credentials } = await instanceRoleCredentials({ endpoint: new URL(sim.url) });
    expect(role).toBe("dts-runner");
    const issued = sim.book.lookup(credentials.secretId);
    expect([credentials.secretKey, credentials.token]).toEqual([issued?.secretKey, issued?.token]);
    expect(credentials.expiresAtMs).toBe(Math.floor((issued?.expiresAtMs ?? 0) / 1000) * 1000);
    expect(sim.requests.map((request) => request.url)).toEqual([
      "/latest/meta-data/cam/security-credentials/",
      "/latest/meta-data/cam/security-credentials/dts-runner",
    ]);
  });

  it("an instance without a role is absent, saying to bind one", async () => {
    const sim = await keyless({});
    const error = await instanceRoleCredentials({ endpoint: new URL(sim.url) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MetadataError);
    expect(error).toMatchObject({ message: expect.stringMatching(/no CAM role bound/) });
  });

  it("a metadata service that does not answer fails within the bound, each request bounded", async () => {
    const stallAll = await serve(() => {});
    await expect(instanceRoleCredentials({ endpoint: stallAll, timeoutMs: 100 })).rejects.toThrow(
      /did not answer \(no answer within 100 ms\): not a CVM instance/,
    );
    // The role's name comes, its credentials never do: the second request is bounded too.
    const stallSecond = await serve((req, res) => {
      if (req.url?.endsWith("/security-credentials/")) res.end("dts-runner");
    });
    await expect(instanceRoleCredentials({ endpoint: stallSecond, timeoutMs: 100 })).rejects.toThrow(
      /no answer within 100 ms/,
    );
    await expect(instanceRoleCredentials({ endpoint: new URL("http://127.0.0.1:9") })).rejects.toThrow(/ECONNREFUSED/);
  });

  it.each([
    ["a Code other than Success", '{"Code":"Failure"}', /refused the credentials of role r \(Code Failure\)/],
    ["no ExpiredTime", '{"TmpSecretId":"a","TmpSecretKey":"b","Token":"c","Code":"Success"}', /have no ExpiredTime/],
    ["not JSON", "<html>", /lack TmpSecretId, TmpSecretKey or Token/],
  ])("credentials with %s are refused", async (_name, body, message) => {
    const endpoint = await serve((req, res) => res.end(req.url?.endsWith("/security-credentials/") ? "r" : body));
    await expect(instanceRoleCredentials({ endpoint })).rejects.toThrow(message);
  });

  it("never goes through a proxy, whatever the process-wide dispatcher is", async () => {
    const sim = await keyless({ cvmRole: "dts-runner" });
    const previous = getGlobalDispatcher();
    setGlobalDispatcher(new ProxyAgent("http://127.0.0.1:9"));
    try {
      expect((await instanceRoleCredentials({ endpoint: new URL(sim.url) })).role).toBe("dts-runner");
    } finally {
      setGlobalDispatcher(previous);
    }
  });
});

describe("metadataEndpoint", () => {
  it("takes the default over http, loopback over http, anything over https; nothing else", () => {
    expect(metadataEndpoint({}).href).toBe("http://metadata.tencentyun.com/");
    expect(metadataEndpoint({ TENCENTCLOUD_METADATA_ENDPOINT: "http://127.0.0.1:8080" }).port).toBe("8080");
    expect(metadataEndpoint({ TENCENTCLOUD_METADATA_ENDPOINT: "https://meta.example" }).protocol).toBe("https:");
    for (const value of ["http://169.254.0.23", "ftp://127.0.0.1", "http://u:p@127.0.0.1", "not a url"]) {
      expect(() => metadataEndpoint({ TENCENTCLOUD_METADATA_ENDPOINT: value })).toThrow(ConfigError);
    }
  });
});
