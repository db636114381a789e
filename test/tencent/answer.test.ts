import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Answer, interpretAnswer, interpretFailure, parseRetryAfter } from "../../src/tencent/answer.js";
import { propertyOptions } from "../helpers/property.js";

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);

function answer(fields: Partial<Answer>): Answer {
  return { statusCode: 200, date: undefined, retryAfter: undefined, body: "", ...fields };
}

function errorOf(fields: Partial<Answer>) {
  const result = interpretAnswer<"DescribeMigrationCheckJob">(answer(fields), NOW);
  if (result.ok) throw new Error("expected an error");
  return result.error;
}

const envelope = (code: string) =>
  JSON.stringify({ Response: { Error: { Code: code, Message: "m" }, RequestId: "r" } });

describe("interpretAnswer", () => {
  it("HTTP 429 without a refusal code is throttled, never fatal, whatever its body", () => {
    for (const body of ["", "<html>Too Many Requests</html>", envelope("InternalError")]) {
      const error = errorOf({ statusCode: 429, body });
      expect([error.kind, error.retryable, error.httpStatus]).toEqual(["throttled", true, 429]);
    }
  });

  it("a bare HTTP 500 or 502 is transient, a bare 501 too, a bare 404 fatal", () => {
    for (const statusCode of [500, 501, 502, 599]) expect(errorOf({ statusCode }).kind).toBe("transient");
    expect(errorOf({ statusCode: 499 }).kind).toBe("fatal");
  });

  it("HTTP 503 is transient; Retry-After is read on 429 and 503 only", () => {
    expect(errorOf({ statusCode: 503, retryAfter: "4" })).toMatchObject({ kind: "transient", retryAfterMs: 4_000 });
    expect(errorOf({ statusCode: 429, retryAfter: "0" }).retryAfterMs).toBe(0);
    expect(errorOf({ statusCode: 500, retryAfter: "4" }).retryAfterMs).toBeUndefined();
    expect(errorOf({ statusCode: 429 }).retryAfterMs).toBeUndefined();
    expect(errorOf({ statusCode: 429, retryAfter: "soon" }).retryAfterMs).toBeUndefined();
  });

  it.each([
    ["ResourceUnavailable", "transient"],
    ["ResourceUnavailable.JobUnavailable", "transient"],
    ["InternalError.DatabaseError", "transient"],
    ["RequestLimitExceeded.UinLimitExceeded", "throttled"],
    ["AuthFailure.SignatureExpire", "clockSkew"],
    ["ResourceNotFound.JobNotExist", "fatal"],
  ] as const)("an envelope with %s in HTTP 200 is %s", (code, kind) => {
    const error = errorOf({ body: envelope(code) });
    expect([error.code, error.kind, error.requestId]).toEqual([code, kind, "r"]);
  });

  it("never throws; ok only for a 2xx API answer with a RequestId and no Error (any status, any body)", () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((Response) => JSON.stringify({ Response })),
      fc.record({ RequestId: fc.oneof(fc.string(), fc.integer()) }).map((Response) => JSON.stringify({ Response })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), bodies, fc.option(fc.string()), (statusCode, body, retry) => {
        const result = interpretAnswer(answer({ statusCode, body, retryAfter: retry ?? undefined }), NOW);
        if (result.ok) {
          expect(statusCode).toBeGreaterThanOrEqual(200);
          expect(statusCode).toBeLessThanOrEqual(299);
          expect(typeof result.value.RequestId).toBe("string");
          expect(JSON.parse(body).Response.Error?.Code).not.toBeTypeOf("string");
        } else {
          expect(["throttled", "transient", "clockSkew", "fatal"]).toContain(result.error.kind);
          expect(result.error.retryAfterMs ?? 0).toBeGreaterThanOrEqual(0);
        }
      }),
      // A failure prints its seed and path: put them here ({ seed, path }) to replay it.
      propertyOptions(200),
    );
  });

  it("a 2xx answer with a string RequestId and no Error is ok, its fields as sent", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 299 }),
        fc.string(),
        fc.dictionary(
          fc.string().filter((key) => key !== "Error" && key !== "RequestId"),
          fc.jsonValue(),
        ),
        (statusCode, RequestId, fields) => {
          const body = JSON.stringify({ Response: { ...fields, RequestId } });
          const result = interpretAnswer(answer({ statusCode, body }), NOW);
          expect(result.ok && result.value).toEqual(JSON.parse(body).Response);
        },
      ),
    );
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds as that many seconds (invariant: n -> n * 1000)", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.option(fc.integer()), (seconds, server) => {
        expect(parseRetryAfter(` ${seconds} `, server ?? undefined, NOW)).toBe(seconds * 1000);
      }),
    );
  });

  it("reads an HTTP date against the server's Date, else the local clock, never below zero", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -86_400, max: 86_400 }),
        fc.integer({ min: -3_600, max: 3_600 }),
        (aheadSeconds, skewSeconds) => {
          const server = NOW + skewSeconds * 1000;
          const at = new Date(server + aheadSeconds * 1000).toUTCString();
          expect(parseRetryAfter(at, server, NOW)).toBe(Math.max(0, aheadSeconds * 1000));
          expect(parseRetryAfter(at, undefined, server)).toBe(Math.max(0, aheadSeconds * 1000));
        },
      ),
    );
  });

  it("reads the obsolete asctime form as GMT, whatever the local time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Shanghai";
    try {
      expect(parseRetryAfter("Tue Dec  1 08:00:30 2026", NOW, NOW)).toBe(30_000);
      expect(parseRetryAfter("Tuesday, 01-Dec-26 08:00:30 GMT", NOW, NOW)).toBe(30_000);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("is undefined for anything else", () => {
    for (const value of [undefined, "", "-1", "1.5", "soon", "0x10", "2026-12-01", "Someday, 01 Dec 2026"]) {
      expect(parseRetryAfter(value, undefined, NOW)).toBeUndefined();
    }
  });
});

describe("interpretFailure", () => {
  const failure = (code: string) => Object.assign(new Error(code), { code });

  it("ECONNREFUSED was surely not sent; a reset may have been applied", () => {
    expect(interpretFailure(failure("ECONNREFUSED"), "error")).toMatchObject({
      kind: "transient",
      maybeApplied: false,
    });
    expect(interpretFailure(failure("ECONNRESET"), "error")).toMatchObject({ kind: "transient", maybeApplied: true });
    const wrapped = Object.assign(new Error("fetch failed"), { cause: failure("ECONNREFUSED") });
    expect(interpretFailure(wrapped, "error").maybeApplied).toBe(false);
  });

  it("the bound is RequestTimeout, the caller's abort Aborted, an unknown error fatal", () => {
    expect(interpretFailure(new Error("x"), "timedOut")).toMatchObject({ kind: "transient", code: "RequestTimeout" });
    expect(interpretFailure(new Error("x"), "cancelled")).toMatchObject({ kind: "fatal", code: "Aborted" });
    expect(interpretFailure(new Error("x"), "error")).toMatchObject({ kind: "fatal", code: "NetworkError" });
  });
});

describe("a host name that does not resolve", () => {
  it("is a fatal network error that names the host, and says it was never sent", () => {
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND dts.example.invalid"), {
      code: "ENOTFOUND",
      hostname: "dts.example.invalid",
    });
    const classified = interpretFailure(new TypeError("fetch failed", { cause: error }), "error");
    expect(classified).toMatchObject({ kind: "fatal", code: "NetworkError", maybeApplied: false });
    expect(classified.message).toContain("cannot resolve the host name dts.example.invalid");
  });
});
