// The AF_PACKET addon and its adapter against real kernels: two namespaces joined by a veth pair;
// raw-socket-responder.ts runs in `speaker` and answers for 192.0.2.10 / 2001:db8::10, while
// arping and ndisc6 in `client` ask. Needs root, arping, ndisc6 and the addon built (npm ci).
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { z } from 'zod';
import { Teardown, installExitHandlers, tracked } from '../harness/cleanup.ts';
import { Netns, addVethPair } from '../harness/netns.ts';
import { waitFor } from '../harness/wait.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = `${ROOT}node_modules/.bin/node`;
const RESPONDER = `${ROOT}e2e/l2/raw-socket-responder.ts`;
const ADDON = `${ROOT}native/build/Release/packet_socket.node`;
const SPEAKER_IF = 'veth0';
const CLIENT_IF = 'veth1';
const SOLICITED_NODE_MAC = '33:33:ff:00:00:10';

const failure = z.object({ threw: z.literal(true), name: z.string(), code: z.string().optional(), errno: z.number().optional(), syscall: z.string().optional(), message: z.string() });
const success = z.object({ threw: z.literal(false) });
const event = z.discriminatedUnion('event', [
  z.object({ event: z.literal('ready'), mac: z.string(), ifindex: z.number() }),
  z.object({ event: z.literal('arp-request'), senderIp: z.string(), senderMac: z.string() }),
  z.object({ event: z.literal('ns'), destinationMac: z.string(), sourceMac: z.string() }),
  z.object({ event: z.literal('left') }),
  z.object({ event: z.literal('unfiltered'), kind: z.string() }),
  z.object({ event: z.literal('error'), link: z.string(), code: z.string().optional(), message: z.string() }),
  z.object({
    event: z.literal('summary'), ownFramesSeen: z.number(),
    arp: z.array(z.string()), nd: z.array(z.string()), both: z.array(z.string()), unfiltered: z.array(z.string()),
  }),
  z.object({
    event: z.literal('errors'),
    missingInterface: failure, badFilter: failure, shortFrame: failure, unicastGroup: failure,
    closeOnce: success, closeTwice: success, sendAfterClose: failure,
  }),
]);
type Event = z.infer<typeof event>;
type EventOf<K extends Event['event']> = Extract<Event, { event: K }>;

function spawnResponder(ns: Netns, mode: 'respond' | 'errors') {
  return execa('ip', ['netns', 'exec', ns.name, NODE, RESPONDER, mode, SPEAKER_IF], {
    stdin: 'pipe', reject: false, timeout: 60_000, forceKillAfterDelay: 2_000, env: { LC_ALL: 'C' },
  });
}

/** The responder child: its JSON events as they arrive, and its stdin for commands. */
class Responder {
  readonly events: Event[] = [];
  readonly child: ReturnType<typeof spawnResponder>;
  #partial = '';

  constructor(ns: Netns, mode: 'respond' | 'errors') {
    this.child = spawnResponder(ns, mode);
    if (this.child.pid !== undefined) tracked.addPid(this.child.pid);
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (this.#partial + chunk).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) this.events.push(event.parse(JSON.parse(line)));
    });
  }

  next<K extends Event['event']>(kind: K, after = 0): Promise<EventOf<K>> {
    const found = (): EventOf<K> | undefined =>
      this.events.slice(after).find((e): e is EventOf<K> => e.event === kind);
    return waitFor(found, 10_000, { what: `responder event '${kind}' (seen: ${JSON.stringify(this.events)})`, intervalMs: 50 });
  }

  command(line: 'leave' | 'close'): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits for the exit; a responder still running after `ms` is killed and reported. */
  async exit(ms: number): Promise<{ exitCode: number | undefined; stderr: string }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const result = await this.child;
    clearTimeout(timer);
    if (this.child.pid !== undefined) tracked.dropPid(this.child.pid);
    return { exitCode: result.exitCode, stderr: String(result.stderr) };
  }
}

async function groups(ns: Netns): Promise<string> {
  return (await ns.ip(['maddr', 'show', 'dev', SPEAKER_IF])).stdout;
}

describe('AF_PACKET raw link (native addon + adapter)', function () {
  const teardown = new Teardown();
  let speaker: Netns;
  let client: Netns;

  before(async function () {
    if (process.getuid?.() !== 0) throw new Error('e2e/l2/raw-socket.test.ts needs root: it creates network namespaces');
    if (!existsSync(ADDON)) throw new Error(`${ADDON} is missing: run npm ci (or node native/build.ts)`);
    installExitHandlers();
    speaker = await Netns.create('rawspeaker');
    teardown.defer(() => speaker.destroy());
    client = await Netns.create('rawclient');
    teardown.defer(() => client.destroy());
    await addVethPair({ ns: speaker, ifname: SPEAKER_IF }, { ns: client, ifname: CLIENT_IF });
    await client.addAddress(CLIENT_IF, '192.0.2.20/24');
    await client.addAddress(CLIENT_IF, '2001:db8::20/64');
  });

  after(() => teardown.run());

  describe('a responder on the raw link', function () {
    let responder: Responder;
    let mac: string;

    before(async function () {
      responder = new Responder(speaker, 'respond');
      teardown.defer(async () => {
        responder.child.kill('SIGKILL'); // no-op once it has exited
        await responder.exit(5_000);
      });
      mac = (await responder.next('ready')).mac;
    });

    it('receives an ARP request from arping and its hand-built reply reaches arping', async function () {
      const arping = await client.exec('arping', ['-c', '1', '-w', '2', '-i', CLIENT_IF, '192.0.2.10'], { timeoutMs: 10_000 });
      const request = await responder.next('arp-request');
      expect(request.senderIp).to.equal('192.0.2.20');
      expect(arping.exitCode, arping.stdout + arping.stderr).to.equal(0);
      expect(arping.stdout).to.include(`from ${mac} (192.0.2.10)`);
    });

    it('joins the solicited-node group, receives an NS sent to it, and its NA reaches ndisc6', async function () {
      expect(await groups(speaker)).to.include(`link  ${SOLICITED_NODE_MAC}`);
      const ndisc = await client.exec('ndisc6', ['-1', '-r', '3', '-w', '1000', '2001:db8::10', CLIENT_IF], { timeoutMs: 10_000 });
      const solicit = await responder.next('ns');
      expect(solicit.destinationMac).to.equal(SOLICITED_NODE_MAC);
      expect(ndisc.exitCode, ndisc.stdout + ndisc.stderr).to.equal(0);
      expect(ndisc.stdout.toLowerCase()).to.include(`target link-layer address: ${mac}`);
    });

    it('reports ENETDOWN once when the link goes down, and receives again once it is up', async function () {
      const before = responder.events.length;
      await speaker.setLink(SPEAKER_IF, 'down');
      const errors = (): string[] =>
        responder.events.slice(before).flatMap((e) => (e.event === 'error' ? [`${e.link} ${e.code}`] : []));
      await waitFor(() => errors().length === 4, 10_000, { what: 'an error on each of the 4 sockets' });
      expect(errors().sort()).to.deep.equal(['arp ENETDOWN', 'both ENETDOWN', 'nd ENETDOWN', 'unfiltered ENETDOWN']);
      await speaker.setLink(SPEAKER_IF, 'up');
      const arping = await client.exec('arping', ['-c', '1', '-w', '3', '-i', CLIENT_IF, '192.0.2.10'], { timeoutMs: 10_000 });
      expect(arping.exitCode, arping.stdout + arping.stderr).to.equal(0);
      expect(arping.stdout).to.include(`from ${mac} (192.0.2.10)`);
      expect(errors()).to.have.length(4);
    });

    it('leaves the solicited-node group', async function () {
      const before = responder.events.length;
      responder.command('leave');
      await responder.next('left', before);
      expect(await groups(speaker)).not.to.include(SOLICITED_NODE_MAC);
    });

    it('delivers only what each filter admits, never its own frames, and exits once closed', async function () {
      // The kernel resolves both addresses (ARP, NS) and then sends UDP: frames the filters drop.
      const udp = [
        'const d = require("node:dgram");',
        'for (const [type, ip] of [["udp4", "192.0.2.10"], ["udp6", "2001:db8::10"]]) {',
        '  const s = d.createSocket(type); s.send("x", 9, ip, () => s.close()); }',
      ].join('\n');
      await client.exec(NODE, ['-e', udp], { timeoutMs: 10_000 });
      const udpKinds = ['0800/proto-17', '86dd/nh-17'];
      const unfiltered = (): string[] => responder.events.flatMap((e) => (e.event === 'unfiltered' ? [e.kind] : []));
      await waitFor(() => udpKinds.every((k) => unfiltered().includes(k)), 10_000, { what: 'UDP frames on the unfiltered socket' });
      responder.command('close');
      const summary = await responder.next('summary');
      expect(summary.arp).to.deep.equal(['0806']);
      expect(summary.nd).to.deep.equal(['86dd/icmp6-135']);
      expect(summary.both).to.deep.equal(['0806', '86dd/icmp6-135']);
      expect(summary.unfiltered).to.include.members(['0806', '86dd/icmp6-135', ...udpKinds]);
      expect(summary.ownFramesSeen).to.equal(0);
      // close() must release the poll handles: with nothing left the process ends by itself.
      const { exitCode, stderr } = await responder.exit(10_000);
      expect(exitCode, stderr).to.equal(0);
      const unexpected = responder.events.filter((e) => e.event === 'error' && e.code !== 'ENETDOWN');
      expect(unexpected).to.deep.equal([]);
    });
  });

  it('reports failures as errors naming the call, the errno and the interface', async function () {
    const responder = new Responder(speaker, 'errors');
    teardown.defer(async () => {
      responder.child.kill('SIGKILL');
      await responder.exit(5_000);
    });
    const report = await responder.next('errors');
    const { exitCode, stderr } = await responder.exit(10_000);
    expect(exitCode, stderr).to.equal(0);
    expect(report.missingInterface).to.include({ code: 'ENODEV', errno: -19, syscall: 'if_nametoindex' });
    expect(report.missingInterface.message).to.equal('packet socket if_nametoindex on blb-missing0: No such device');
    expect(report.badFilter).to.include({ code: 'EINVAL', syscall: 'SO_ATTACH_FILTER' });
    expect(report.badFilter.message).to.include(SPEAKER_IF);
    expect(report.shortFrame).to.include({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    expect(report.unicastGroup).to.include({ name: 'RangeError' });
    expect(report.sendAfterClose).to.include({ code: 'EBADF', syscall: 'sendto' });
    expect(report.sendAfterClose.message).to.include(SPEAKER_IF);
  });
});
