import { describe, expect, it } from "vitest";
import { createSafeLog } from "../../src/action/log.js";
import { neutralise, neutraliseLine } from "../../src/output/safe-text.js";

describe("neutralise", () => {
  it("defangs a line that would start a workflow command, even after leading whitespace", () => {
    expect(neutraliseLine("::error::x")).toBe(": :error::x");
    expect(neutraliseLine("   \t::set-output name=x::y")).toBe("   \t: :set-output name=x::y");
    expect(neutraliseLine("\u00a0\u3000::add-mask::x")).toBe("\u00a0\u3000: :add-mask::x");
    expect(neutraliseLine("\u0085::debug::x")).toBe("\u0085: :debug::x");
    expect(neutraliseLine("text ::error::x")).toBe("text ::error::x");
  });

  it("defangs the legacy ##[ syntax anywhere in a line", () => {
    expect(neutraliseLine("a ##[error]b")).toBe("a # #[error]b");
    expect(neutraliseLine("###[x]")).toBe("## #[x]");
    expect(neutraliseLine("##[##[a]")).not.toContain("##[");
  });

  it("splits on every line break and drops a final empty line", () => {
    expect(neutralise("a\n::error::b\r::warning::c\r\n  ::notice::d\u2028::e::f\u2029::g::h\n")).toEqual([
      "a",
      ": :error::b",
      ": :warning::c",
      "  : :notice::d",
      ": :e::f",
      ": :g::h",
    ]);
    expect(neutralise("")).toEqual([""]);
  });
});

describe("createSafeLog", () => {
  it("redacts, neutralises and fences with a fresh token", async () => {
    const lines: string[] = [];
    let n = 0;
    const log = createSafeLog(
      (line) => lines.push(line),
      (text) => text.replaceAll("s3cret", "***"),
      () => `token${++n}`,
    );
    const value = await log.fenced(async () => {
      log.text("key s3cret\n::error::x\n");
      return 42;
    });
    expect(value).toBe(42);
    expect(lines).toEqual(["::stop-commands::token1", "key ***", ": :error::x", "::token1::"]);
  });

  it("resumes commands even when the fenced work throws", async () => {
    const lines: string[] = [];
    const log = createSafeLog(
      (line) => lines.push(line),
      (text) => text,
      () => "t",
    );
    await expect(log.fenced(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(lines).toEqual(["::stop-commands::t", "::t::"]);
  });

  it("uses an unguessable token by default", async () => {
    const lines: string[] = [];
    const log = createSafeLog(
      (line) => lines.push(line),
      (text) => text,
    );
    await log.fenced(async () => {});
    await log.fenced(async () => {});
    const tokens = lines.map((line) => /^::(?:stop-commands::)?([0-9a-f]{32})(?:::)?$/.exec(line)?.[1]);
    expect(tokens.every((token) => token !== undefined)).toBe(true);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).toBe(tokens[3]);
    expect(tokens[0]).not.toBe(tokens[2]);
  });
});

describe("createSafeLog never throws", () => {
  it("a line that cannot be written (a full disk, a closed pipe) is lost, and the next one is still tried", () => {
    const tried: string[] = [];
    const log = createSafeLog(
      (line) => {
        tried.push(line);
        throw Object.assign(new Error("write ENOSPC"), { code: "ENOSPC" });
      },
      (text) => text,
    );
    expect(() => log.text("one\ntwo")).not.toThrow();
    expect(tried).toEqual(["one", "two"]);
  });

  it("removes format characters before redacting, so a secret with a zero-width space inside is found", () => {
    const lines: string[] = [];
    const log = createSafeLog(
      (line) => lines.push(line),
      (text) => text.replaceAll("s3cret", "***"),
    );
    log.text("a s3\u200bcr\u00adet \u202eb");
    expect(lines).toEqual(["a *** b"]);
  });
});
