import { connect, type Socket } from "node:net";

/**
 * Pipes `socket` both ways to a new connection to `host:port`, as a relay between a client and a
 * server does: either end closing closes the other, and errors (a reset) only end them.
 * Returns the upstream socket.
 */
export function relayTo(socket: Socket, port: number, host = "127.0.0.1"): Socket {
  const upstream = connect(port, host);
  for (const end of [socket, upstream]) end.on("error", () => {});
  socket.pipe(upstream).pipe(socket);
  socket.once("close", () => upstream.destroy());
  upstream.once("close", () => socket.destroy());
  return upstream;
}
