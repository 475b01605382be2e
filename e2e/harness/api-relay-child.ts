// Child process for api-relay.ts: a byte relay between a TCP and a unix-socket endpoint, bounded
// in connections and in lifetime. Prints {"event":"ready"} once listening.
//
//   unix-to-tcp SOCKET HOST PORT LIFETIME_MS   listens on the unix socket SOCKET, connects to HOST:PORT
//   tcp-to-unix HOST PORT SOCKET LIFETIME_MS   listens on HOST:PORT, connects to the unix socket SOCKET
//
// A unix socket is a file, visible from every network namespace: that is what carries the
// connection across the namespace boundary without any link into the host's network stack.
import { createConnection, createServer, type Socket } from 'node:net';

const MAX_CONNECTIONS = 256;

/** Pipes both ways; when either side ends or fails, both are destroyed. */
function splice(a: Socket, b: Socket): void {
  const close = (): void => {
    a.destroy();
    b.destroy();
  };
  for (const s of [a, b]) {
    s.on('error', close);
    s.on('close', close);
  }
  a.pipe(b);
  b.pipe(a);
}

function main(argv: readonly string[]): void {
  const [mode, ...rest] = argv;
  let listen: { path: string } | { host: string; port: number };
  let connect: () => Socket;
  let lifetime: number;
  if (mode === 'unix-to-tcp' && rest.length === 4) {
    const [path = '', host = '', port = '', ms = ''] = rest;
    listen = { path };
    connect = () => createConnection({ host, port: Number(port) });
    lifetime = Number(ms);
  } else if (mode === 'tcp-to-unix' && rest.length === 4) {
    const [host = '', port = '', path = '', ms = ''] = rest;
    listen = { host, port: Number(port) };
    connect = () => createConnection({ path });
    lifetime = Number(ms);
  } else {
    process.stderr.write('usage: unix-to-tcp SOCKET HOST PORT LIFETIME_MS | tcp-to-unix HOST PORT SOCKET LIFETIME_MS\n');
    process.exit(2);
  }
  const server = createServer((incoming) => splice(incoming, connect()));
  server.maxConnections = MAX_CONNECTIONS;
  server.on('error', (e) => {
    process.stderr.write(`relay: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(listen, () => process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`));
  // The bound on its life: a relay whose owner never stopped it ends by itself.
  setTimeout(() => process.exit(0), lifetime);
}

main(process.argv.slice(2));
