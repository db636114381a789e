import { afterAll, vi } from "vitest";

/**
 * The signing and credential suites again, with the local time zone eight hours ahead of UTC: the
 * signature's date, expiry times and Retry-After dates are UTC whatever the machine's zone, and a
 * date taken in local time shows here (the official vector's 16:44 UTC is the next day there).
 * Node applies a change of TZ at once. A worker keeps the modules of the files it ran before
 * (vitest.config.ts): the registry is reset first, so that each suite is imported, and its tests
 * declared, again here.
 */
const zone = process.env.TZ;
process.env.TZ = "Asia/Shanghai";
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

vi.resetModules();
await import("./signing.test.js");
await import("./credentials.test.js");
await import("./credentials-renewal.test.js");
await import("./answer.test.js");
