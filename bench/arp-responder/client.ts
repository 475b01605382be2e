// Child process for bench/arp-responder/run.ts, started in the client namespace: sends ARP
// requests for TARGET on a raw link and matches the replies. Prints one JSON line, then exits.
//
//   latency IFNAME TARGET COUNT           one request at a time; µs from send to reply (50 ms timeout)
//   rate IFNAME TARGET PER_SECOND MS      offers PER_SECOND requests for MS, counts replies
import { broadcastMac, macFromBytes, zeroMac } from '../../src/speaker/l2/codec/bytes.ts';
import { decodeFrame, encodeArpFrame } from '../../src/speaker/l2/codec/frame.ts';
import type { IPv4 } from '../../src/net/ip.ts';
import { openRawLink } from '../../src/speaker/l2/raw-socket.ts';

const SENDER_IP = '192.0.2.100' as IPv4;
const emit = (o: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(o)}\n`);

const [mode, ifname, target, a, b] = process.argv.slice(2);
if (ifname === undefined || target === undefined || a === undefined) throw new Error('usage: client.ts latency|rate IFNAME TARGET N [MS]');
const link = openRawLink(ifname, { protocols: 'arp' });
const mac = macFromBytes(link.mac);
const request = encodeArpFrame({ dst: broadcastMac, src: mac }, { op: 'request', senderMac: mac, senderIp: SENDER_IP, targetMac: zeroMac, targetIp: target as IPv4 });
const isReply = (frame: Uint8Array): boolean => {
  const f = decodeFrame(frame);
  return f.ok && f.value.kind === 'arp' && f.value.arp.op === 'reply' && f.value.arp.senderIp === target && f.value.arp.targetMac === mac;
};

function latency(count: number): void {
  const samples: number[] = [];
  let lost = 0;
  let sentAt = 0n;
  let timer: NodeJS.Timeout | undefined;
  const next = (): void => {
    if (samples.length + lost >= count) {
      emit({ samplesUs: samples, lost });
      link.close();
      return;
    }
    timer = setTimeout(() => {
      lost += 1;
      next();
    }, 50);
    sentAt = process.hrtime.bigint();
    link.send(request);
  };
  link.onFrame((frame) => {
    if (!isReply(frame) || timer === undefined) return;
    const us = Number(process.hrtime.bigint() - sentAt) / 1_000;
    clearTimeout(timer);
    timer = undefined;
    samples.push(us);
    setImmediate(next);
  });
  next();
}

function rate(perSecond: number, ms: number): void {
  let replies = 0;
  let sent = 0;
  let sendErrors = 0;
  link.onFrame((frame) => {
    if (isReply(frame)) replies += 1;
  });
  const start = performance.now();
  const tick = (): void => {
    const elapsed = performance.now() - start;
    if (elapsed >= ms) {
      setTimeout(() => {
        emit({ offeredPerSecond: perSecond, ms, sent, sendErrors, replies });
        link.close();
      }, 300);
      return;
    }
    // Catch up to where a perfectly paced sender would be, at most 500 frames per turn.
    const due = Math.min(Math.floor((elapsed * perSecond) / 1000) - sent - sendErrors, 500);
    for (let i = 0; i < due; i += 1) {
      try {
        link.send(request);
        sent += 1;
      } catch {
        sendErrors += 1; // ENOBUFS: the client's own queue is full; counted, not retried
      }
    }
    setImmediate(tick);
  };
  tick();
}

if (mode === 'latency') latency(Number(a));
else if (mode === 'rate' && b !== undefined) rate(Number(a), Number(b));
else throw new Error(`unknown mode ${mode}`);
