// Child process for udp-echo.ts, started inside a namespace with `ip netns exec`. One JSON event
// per line on stdout.
//
//   serve NAME PORT                      answers every UDP datagram on PORT (IPv4 and IPv6) with NAME
//   ask TARGET PORT TIMEOUT_MS           asks every 100 ms until one answer, prints it, exits (1: none)
//   probe TARGET PORT INTERVAL_MS COUNT  sends COUNT numbered datagrams, one every INTERVAL_MS,
//                                        and reports each answer: who sent it and when (epoch ms)
import { createSocket } from 'node:dgram';

const emit = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);
const now = (): number => performance.timeOrigin + performance.now();

function serve(name: string, port: number): void {
  // One dual-stack socket: IPv4 clients arrive as ::ffff:a.b.c.d.
  const socket = createSocket({ type: 'udp6', ipv6Only: false });
  socket.on('message', (_msg, rinfo) => socket.send(name, rinfo.port, rinfo.address));
  socket.bind(port, '::', () => emit({ event: 'ready' }));
}

function ask(target: string, port: number, timeoutMs: number): void {
  const socket = createSocket(target.includes(':') ? 'udp6' : 'udp4');
  const send = (): void => socket.send('ask', port, target, () => undefined);
  const timer = setInterval(send, 100);
  const deadline = setTimeout(() => {
    clearInterval(timer);
    socket.close();
    process.exitCode = 1;
  }, timeoutMs);
  socket.on('message', (msg) => {
    clearInterval(timer);
    clearTimeout(deadline);
    emit({ event: 'reply', from: msg.toString(), at: now() });
    socket.close();
  });
  send();
}

function probe(target: string, port: number, intervalMs: number, count: number): void {
  const socket = createSocket(target.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (msg) => emit({ event: 'reply', from: msg.toString(), at: now() }));
  let sent = 0;
  socket.bind(0, () => {
    emit({ event: 'ready' });
    const timer = setInterval(() => {
      sent += 1;
      socket.send(String(sent), port, target, () => undefined);
      if (sent < count) return;
      clearInterval(timer);
      setTimeout(() => {
        emit({ event: 'done', sent });
        socket.close();
      }, 200);
    }, intervalMs);
  });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve' && args.length === 2) serve(args[0] ?? '', Number(args[1]));
else if (mode === 'ask' && args.length === 3) ask(args[0] ?? '', Number(args[1]), Number(args[2]));
else if (mode === 'probe' && args.length === 4) probe(args[0] ?? '', Number(args[1]), Number(args[2]), Number(args[3]));
else throw new Error('usage: udp-echo-child.ts serve NAME PORT | ask TARGET PORT TIMEOUT_MS | probe TARGET PORT INTERVAL_MS COUNT');
