import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { relayTo } from "./relay.js";

/**
 * A throw-away self-signed certificate for localhost and 127.0.0.1 (never committed), made by
 * openssl in `dir`: the files and their PEM text.
 */
export function makeCertificate(dir: string, openssl = "openssl") {
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  const made = spawnSync(
    openssl,
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"],
      ...["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
      ...["-keyout", keyFile, "-out", certFile],
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr.toString()}`);
  return { keyFile, certFile, key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") };
}

export interface TlsProxy {
  readonly port: number;
  /** The self-signed certificate it presents (for localhost and 127.0.0.1), PEM. */
  readonly certFile: string;
  /** TLS handshakes completed so far. */
  readonly handshakes: () => number;
  stop(): Promise<void>;
}

/**
 * A TLS front for a plain server (redis-server, the simulator), as a managed service with TLS is:
 * a certificate made for the test, each TLS connection piped to `targetPort`.
 */
export async function startTlsProxy(openssl: string, targetPort: number): Promise<TlsProxy> {
  const dir = mkdtempSync(join(tmpdir(), "dts-gate-tls-"));
  const { key, cert, certFile } = makeCertificate(dir, openssl);
  let handshakes = 0;
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key, cert }, (tlsSocket) => {
    handshakes++;
    for (const socket of [tlsSocket, relayTo(tlsSocket, targetPort)]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    }
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    certFile,
    handshakes: () => handshakes,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
