// A loopback relay in front of the embedded simulator that records when each request arrived
// (performance.now() of this process), its action and its job, and passes request and answer on
// unchanged. The signature stays valid: TC3 signs the host name without the port, and both ends
// are 127.0.0.1.
import { createServer, request } from "node:http";
import { performance } from "node:perf_hooks";

/** Resolves with { url, arrivals, close() } once the relay listens; `target` is the simulator's URL. */
export function startArrivalRelay(target) {
  const upstream = new URL(target);
  const arrivals = [];
  const server = createServer((incoming, outgoing) => {
    const atMs = performance.now();
    const chunks = [];
    incoming.on("data", (chunk) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      let jobId;
      try {
        jobId = JSON.parse(body.toString("utf8")).JobId;
      } catch {}
      arrivals.push({ atMs, action: String(incoming.headers["x-tc-action"] ?? ""), jobId });
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on("error", () => outgoing.destroy());
      forward.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        arrivals,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
