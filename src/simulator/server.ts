import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Simulator, type SimulatorOptions, validateOptions } from "./options.js";
import { Pipeline } from "./pipeline.js";

export type { AnswerRequest, RawAnswer, Simulator, SimulatorOptions } from "./options.js";

/** The documented demo pair: the simulator's default and only accepted credentials. */
export const DEMO_SECRET_ID = "AKIDdtsGateDemo0000000000000000000000";
export const DEMO_SECRET_KEY = "dtsGateDemoKey000000000000000000";

/**
 * Starts the embedded stand-in for dts.tencentcloudapi.com.
 *
 * STS (X-TC-Action AssumeRole or AssumeRoleWithWebIdentity, see sts.ts) and the CVM metadata routes
 * (any path under /latest/, see metadata.ts) are answered by their handlers on the same port, so
 * TENCENTCLOUD_STS_ENDPOINT and TENCENTCLOUD_METADATA_ENDPOINT can both be this URL; the temporary
 * credentials they issue are accepted by stage 3 with their X-TC-Token until they expire.
 *
 * Each DTS request goes through these stages in order; the first that objects answers:
 * 1. parse: method must be POST (else HTTP 405), body at most 64 KiB (else RequestSizeLimitExceeded and
 *    the connection closed), X-TC-Action present (MissingParameter).
 * 2. rate: arrivals per action in the current second of the simulator clock, refused ones included;
 *    beyond `rate`, RequestLimitExceeded. Throttling comes before authentication, like a gateway's.
 * 3. auth: Authorization (SignatureFailure), X-TC-Timestamp (MissingParameter/InvalidParameterValue),
 *    SecretId (SecretIdNotFound), 300 s window (SignatureExpire), credential scope and signature
 *    (SignatureFailure), then X-TC-Token (AuthFailure.TokenFailure): issued credentials' own token,
 *    refused once they expired; with the long-term pair, `expectToken` when set.
 * 4. override: the `answer` option, when given and it answers, is sent verbatim.
 * 5. params: X-TC-Region when `expectRegion` is set (missing: MissingParameter, another:
 *    UnsupportedRegion), X-TC-Version, known action (InvalidAction), body a JSON object, JobId of
 *    the action's kind (dts- or sync-), CompareTaskId of that job where the action takes one.
 * 6. job: unknown job when `jobs` is given (ResourceNotFound).
 * 7. faults: injected rules count only requests that got this far. Refusals (throttle, internal, http502,
 *    http429, http503, denied) answer instead of the action; then a flaky job's every third request is
 *    refused in turn with RequestLimitExceeded, InternalError, HTTP 502.
 * 8. the action; a lost-answer fault (reset, stall, truncated, invalidJson, emptyBody, nullFields,
 *    slowBody) then mangles the answer of an action that WAS applied.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  validateOptions(options);
  const pipeline = new Pipeline(options, {
    secretId: options.secretId ?? DEMO_SECRET_ID,
    secretKey: options.secretKey ?? DEMO_SECRET_KEY,
  });
  // Malformed requests and oversized headers (431) get Node's default answer; none reaches serve.
  const server = createServer((req, res) => {
    req.on("error", () => {});
    res.on("error", () => {});
    try {
      pipeline.serve(req, res);
    } catch {
      res.destroy();
    }
  });

  return new Promise<Simulator>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      server.on("error", () => {});
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        arrivals: pipeline.arrivals,
        injectFault: (rule) => pipeline.injectFault(rule),
        finishCheck: (jobId) => pipeline.finishCheck(jobId),
        startCount: (jobId) => pipeline.startCount(jobId),
        completeCount: (jobId) => pipeline.completeCount(jobId),
        credentialBook: pipeline.credentialBook,
        // Destroying every socket also stops stalls and drips (their timers end with the socket).
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
