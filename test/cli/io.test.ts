import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { descriptorStream } from "../../src/cli/io.js";

describe("descriptorStream", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes every byte to the descriptor, in order, without Node's stream", () => {
    dir = mkdtempSync(join(tmpdir(), "dts-gate-io-"));
    const path = join(dir, "out.txt");
    const fd = openSync(path, "w");
    let nodeStreamAsked = false;
    const stream = descriptorStream(fd, () => {
      nodeStreamAsked = true;
      return process.stdout;
    });
    const text = `${"gate open · 检查通过 ✓\n".repeat(5_000)}end\n`;
    stream.write(text);
    stream.write("second\n");
    closeSync(fd);
    expect(readFileSync(path, "utf8")).toBe(`${text}second\n`);
    expect(stream.isTTY).toBe(false);
    expect(stream.columns).toBeUndefined();
    expect(nodeStreamAsked).toBe(false);
  });

  it("throws what is not a full or closed reader, as a bad descriptor", () => {
    const stream = descriptorStream(987_654, () => process.stdout);
    expect(() => stream.write("x")).toThrow(/EBADF/);
  });
});
