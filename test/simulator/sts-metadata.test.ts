import { describe, expect, it } from "vitest";
import { TemporaryCredentialBook } from "../../src/simulator/credential-book.js";
import { createMetadataHandler } from "../../src/simulator/metadata.js";
import type { SimRequest } from "../../src/simulator/request.js";

const PATH = "/latest/meta-data/cam/security-credentials/";
const get = (url: string, method = "GET"): SimRequest => ({ method, url, headers: {}, body: Buffer.alloc(0) });
const START = 1_800_000_000_000;

describe("simulated CVM metadata", () => {
  it("lists the role and answers its credentials as the real service does", () => {
    const book = new TemporaryCredentialBook();
    const { answer } = createMetadataHandler({ role: "dts-runner", book, credentialTtlSec: 600 });
    expect(answer(get(PATH), START)).toMatchObject({ status: 200, body: "dts-runner" });
    const reply = answer(get(`${PATH}dts-runner`), START);
    const body = JSON.parse(reply.body);
    expect(Object.keys(body).sort()).toEqual([
      "Code",
      "Expiration",
      "ExpiredTime",
      "TmpSecretId",
      "TmpSecretKey",
      "Token",
    ]);
    expect(body).toMatchObject({
      Code: "Success",
      ExpiredTime: START / 1000 + 600,
      Expiration: "2027-01-15T08:10:00Z",
    });
    expect(book.lookup(body.TmpSecretId)?.token).toBe(body.Token);
  });

  it("answers the same credentials until half their lifetime is gone, then new ones", () => {
    const { answer } = createMetadataHandler({ role: "r", book: new TemporaryCredentialBook(), credentialTtlSec: 600 });
    const idAt = (atMs: number) => JSON.parse(answer(get(`${PATH}r`), atMs).body).TmpSecretId;
    const first = idAt(START);
    expect(idAt(START + 299_999)).toBe(first);
    expect(idAt(START + 300_000)).not.toBe(first);
  });

  it("without a role, and for anything else, answers 404; only GET", () => {
    const none = createMetadataHandler({ role: undefined, book: new TemporaryCredentialBook() });
    expect(none.answer(get(PATH), START).status).toBe(404);
    const { answer } = createMetadataHandler({ role: "r", book: new TemporaryCredentialBook() });
    expect(answer(get(`${PATH}other`), START).status).toBe(404);
    expect(answer(get("/latest/meta-data/placement/region"), START).status).toBe(404);
    expect(answer(get(PATH, "POST"), START).status).toBe(405);
  });
});
