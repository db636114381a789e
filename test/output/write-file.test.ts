import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileSafely } from "../../src/output/write-file.js";

describe("writeFileSafely", () => {
  const folders: string[] = [];
  const folder = () => {
    const made = mkdtempSync(join(tmpdir(), "dts-gate-write-"));
    folders.push(made);
    return made;
  };
  afterEach(() => {
    for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
  });

  it("writes the file whole, creating missing folders, and leaves no temporary file", async () => {
    const root = folder();
    const path = join(root, "reports", "junit.xml");
    expect(await writeFileSafely(path, () => "<x/>")).toEqual({ written: true });
    expect(readFileSync(path, "utf8")).toBe("<x/>");
    expect(readdirSync(join(root, "reports"))).toEqual(["junit.xml"]);
  });

  it("never follows a symlink planted at the path, nor at the old predictable temporary name", async () => {
    const root = folder();
    const victim = join(root, "victim");
    writeFileSync(victim, "precious");
    const path = join(root, "junit.xml");
    symlinkSync(victim, path);
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    expect(await writeFileSafely(path, () => "<x/>")).toEqual({ written: true });
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, "utf8")).toBe("<x/>");
  });

  it("returns a failure, never throws, and removes its temporary file when the text cannot be made", async () => {
    const root = folder();
    const outcome = await writeFileSafely(join(root, "junit.xml"), () => {
      throw new Error("render failed");
    });
    expect(outcome.written).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it("returns a failure for a folder it cannot write in", async () => {
    const root = folder();
    writeFileSync(join(root, "file"), "");
    const outcome = await writeFileSafely(join(root, "file", "junit.xml"), () => "<x/>");
    expect(outcome.written).toBe(false);
  });
});
