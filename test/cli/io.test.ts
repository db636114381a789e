import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { processStream } from "../../src/cli/io.js";

/** A stream whose reader goes away after `accepted` writes: later writes fail with `code`. */
function streamGoneAfter(accepted: number, code: string) {
  const received: string[] = [];
  let calls = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      calls++;
      if (received.length >= accepted) {
        callback(Object.assign(new Error(`write ${code}`), { code }));
        return;
      }
      received.push(chunk.toString());
      callback();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, received, calls: () => calls };
}

describe("processStream", () => {
  it("writes through Node's stream, and stops quietly once the reader has gone (EPIPE)", async () => {
    const { stream, received, calls } = streamGoneAfter(1, "EPIPE");
    const out = processStream(stream);
    out.write("first\n");
    out.write("second\n");
    await new Promise((resolve) => setImmediate(resolve));
    out.write("third\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual(["first\n"]);
    // Once the reader is gone, the stream takes nothing more.
    expect(calls()).toBe(2);
    expect(out.isTTY).toBe(false);
    expect(out.columns).toBeUndefined();
  });
});

describe("processStream never throws", () => {
  it("a full disk (ENOSPC) or any other failed write: quiet, and nothing more is written", async () => {
    for (const code of ["ENOSPC", "EIO", "EPIPE"]) {
      const { stream, received } = streamGoneAfter(0, code);
      const out = processStream(stream);
      expect(() => out.write("verdict\n")).not.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
      expect(() => out.write("more\n")).not.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
      expect(received).toEqual([]);
    }
  });

  it("a stream whose write throws at once", () => {
    const stream = {
      on: () => stream,
      write: () => {
        throw Object.assign(new Error("write EBADF"), { code: "EBADF" });
      },
      destroyed: false,
    } as unknown as NodeJS.WriteStream;
    const out = processStream(stream);
    expect(() => out.write("x")).not.toThrow();
  });
});
