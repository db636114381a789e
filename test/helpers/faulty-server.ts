import { connect, createServer, type Socket } from "node:net";

/**
 * How a faulty loopback service behaves once a client connects: `hang` accepts and never
 * answers, `drip` sends an HTTP answer (or Redis reply) a byte at a time and never finishes it,
 * `close` drops the connection after `afterMs`, `garbage` answers bytes no protocol knows.
 */
export type Misbehaviour = "hang" | "drip" | "close" | "garbage";

export interface FaultyServer {
  readonly url: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  readonly close: () => Promise<void>;
}

const DRIP = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Drip: ";

/** A TCP server on 127.0.0.1 that misbehaves on every connection as told. */
export async function startFaultyServer(misbehaviour: Misbehaviour, afterMs = 0): Promise<FaultyServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let accepted = 0;
  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    if (misbehaviour === "close") later(afterMs, () => socket.destroy());
    if (misbehaviour === "garbage") {
      socket.on("data", () => socket.write("%\u0000garbage\r\n?\r\n"));
    }
    if (misbehaviour === "drip") {
      let sent = 0;
      const drip = () => {
        if (socket.destroyed) return;
        socket.write(DRIP[sent] ?? "x");
        sent++;
        later(100, drip);
      };
      later(afterMs, drip);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => accepted,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What a relay does to the traffic from now on: pass it, swallow it both ways, garble the answers,
 * or pass them with one reply more (a null) than commands were sent.
 */
export type RelayMode = "pass" | "freeze" | "garbage" | "surplus";

export interface TurncoatRelay {
  readonly port: number;
  turn(mode: RelayMode): void;
  readonly close: () => Promise<void>;
}

/** A loopback relay to `upstreamPort` that behaves until told to freeze or to garble the answers. */
export async function startTurncoatRelay(upstreamPort: number): Promise<TurncoatRelay> {
  let mode: RelayMode = "pass";
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  };
  const server = createServer((socket) => {
    const upstream = connect(upstreamPort, "127.0.0.1");
    track(socket);
    track(upstream);
    socket.on("data", (chunk) => {
      if (mode !== "freeze") upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (mode === "pass") socket.write(chunk);
      else if (mode === "garbage") socket.write("%\u0000garbage\r\n?\r\n");
      else if (mode === "surplus") socket.write(Buffer.concat([chunk, Buffer.from("$-1\r\n")]));
    });
    socket.once("close", () => upstream.destroy());
    upstream.once("close", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    turn(next) {
      mode = next;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
