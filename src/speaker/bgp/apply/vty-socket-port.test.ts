import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { recordingLogger } from '../../../log/logger.ts';
import { FakeFrr } from './test-fakes.ts';
import { VtySocketPort } from './vty-socket-port.ts';

/** What the fake bgpd answers to one command: text and CMD_* status, or nothing at all. */
type Answer = { readonly text: string; readonly status: number } | 'hang' | 'close';

/** A unix-socket server speaking bgpd's side of the vty protocol, answering through `answer`. */
class FakeBgpdVty {
  readonly path: string;
  /** Every command received, per connection. */
  readonly sessions: string[][] = [];
  closed = 0;
  readonly #server: Server;

  private constructor(path: string, answer: (command: string) => Answer) {
    this.path = path;
    this.#server = createServer((socket) => this.#serve(socket, answer));
  }

  static async start(dir: string, answer: (command: string) => Answer = () => ({ text: '', status: 0 })): Promise<FakeBgpdVty> {
    const vty = new FakeBgpdVty(join(dir, 'bgpd.vty'), answer);
    await new Promise<void>((resolve) => vty.#server.listen(vty.path, resolve));
    return vty;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #serve(socket: Socket, answer: (command: string) => Answer): void {
    const commands: string[] = [];
    this.sessions.push(commands);
    let pending = '';
    let silent = false;
    socket.on('close', () => void (this.closed += 1));
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nul = pending.indexOf('\0'); nul >= 0; nul = pending.indexOf('\0')) {
        const command = pending.slice(0, nul);
        pending = pending.slice(nul + 1);
        commands.push(command);
        if (silent) continue;
        const reply = answer(command);
        if (reply === 'close') return void socket.destroy();
        if (reply === 'hang') silent = true;
        else socket.write(Buffer.concat([Buffer.from(reply.text), Buffer.from([0, 0, 0, reply.status])]));
      }
    });
  }
}

const BATCH = ['router bgp 64512', ' address-family ipv4 unicast', '  network 198.18.0.1/32', ' exit-address-family', 'exit'];
const SESSION = (lines: readonly string[]): string[] =>
  ['enable', 'conf term file-lock', 'XFRR_start_configuration', ...lines, 'XFRR_end_configuration', 'end', 'disable'];

describe('VtySocketPort', () => {
  let dir: string;
  let vty: FakeBgpdVty | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'barelb-vty-'));
  });

  afterEach(async () => {
    await vty?.stop();
    vty = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function setup(timeoutMs = 5_000): { port: VtySocketPort; vtysh: FakeFrr; logs: ReturnType<typeof recordingLogger> } {
    const vtysh = new FakeFrr();
    const logs = recordingLogger();
    return { vtysh, logs, port: new VtySocketPort({ socketPath: join(dir, 'bgpd.vty'), vtysh, logger: logs, timeoutMs }) };
  }

  it('sends a bgpd batch inside the session vtysh -f opens, and never runs vtysh for it', async () => {
    vty = await FakeBgpdVty.start(dir);
    const { port, vtysh, logs } = setup();
    expect(await port.runBatch(BATCH, { target: 'bgpd' })).to.deep.equal({ ok: true, value: { warnings: [] } });
    expect(await port.runBatch(BATCH, { target: 'bgpd' })).to.deep.equal({ ok: true, value: { warnings: [] } });
    expect(vty.sessions).to.deep.equal([SESSION(BATCH), SESSION(BATCH)]);
    expect(vtysh.calls).to.deep.equal([]);
    await waitUntil(() => vty?.closed === 2);
    expect(logs.records.map((r) => r.msg)).to.deep.equal(["sending bgpd batches to bgpd's vty socket"]);
  });

  it('reports a line bgpd rejects mid-batch with its message, still sends the rest and closes the session', async () => {
    vty = await FakeBgpdVty.start(dir, (command) =>
      command.includes('remote-ass') ? { text: `% [BGP] Unknown command: ${command}\n`, status: 2 } : { text: '', status: 0 });
    const { port } = setup();
    const lines = ['router bgp 64512', ' neighbor 192.0.2.1 remote-ass 64500', ' neighbor 192.0.2.1 password s3cret', 'exit'];
    expect(await port.runBatch(lines, { target: 'bgpd' })).to.deep.equal({
      ok: false,
      error: {
        reason: 'rejected',
        message: 'bgpd refused 1 of 4 lines',
        details: ['line 2: % [BGP] Unknown command:  neighbor 192.0.2.1 remote-ass 64500 [unknown command]'],
      },
    });
    expect(vty.sessions).to.deep.equal([SESSION(lines)]);
  });

  it('gives up after the timeout when bgpd stops answering, and drops the connection', async () => {
    vty = await FakeBgpdVty.start(dir, (command) => (command.includes('network') ? 'hang' : { text: '', status: 0 }));
    const { port, vtysh } = setup(150);
    const result = await port.runBatch(BATCH, { target: 'bgpd' });
    expect(result).to.deep.equal({
      ok: false,
      error: { reason: 'timeout', message: "bgpd's vty did not answer within 150 ms after 3 of 9 replies", details: [] },
    });
    await waitUntil(() => vty?.closed === 1);
    expect(vtysh.calls).to.deep.equal([]);
  });

  it('reports bgpd going away mid-batch as unreachable, not as a vtysh retry', async () => {
    vty = await FakeBgpdVty.start(dir, (command) => (command.includes('network') ? 'close' : { text: '', status: 0 }));
    const { port, vtysh } = setup();
    const result = await port.runBatch(BATCH, { target: 'bgpd' });
    expect(!result.ok && result.error.reason).to.equal('unreachable');
    expect(vtysh.calls).to.deep.equal([]);
  });

  it('falls back to vtysh for the batch when the socket is missing, and says so once', async () => {
    const { port, vtysh, logs } = setup();
    expect((await port.runBatch(BATCH, { target: 'bgpd' })).ok).to.equal(true);
    expect((await port.runBatch(BATCH, { target: 'bgpd' })).ok).to.equal(true);
    expect(vtysh.callsOf('batch')).to.deep.equal([{ type: 'batch', lines: BATCH, target: 'bgpd' }, { type: 'batch', lines: BATCH, target: 'bgpd' }]);
    expect(logs.records.map((r) => [r.level, r.msg, r.fields['error']])).to.deep.equal([
      ['info', "bgpd's vty socket is unavailable; sending bgpd batches through vtysh", 'ENOENT'],
    ]);
  });

  it('returns to the socket once bgpd listens again, and warns when it goes away after that', async () => {
    const { port, vtysh, logs } = setup();
    await port.runBatch(BATCH, { target: 'bgpd' });
    vty = await FakeBgpdVty.start(dir);
    await port.runBatch(BATCH, { target: 'bgpd' });
    await vty.stop();
    vty = undefined;
    await port.runBatch(BATCH, { target: 'bgpd' });
    expect(vtysh.callsOf('batch')).to.have.length(2);
    expect(logs.records.map((r) => r.level)).to.deep.equal(['info', 'info', 'warn']);
  });

  it('leaves batches for every daemon, exec commands, show, reload and file writes to vtysh', async () => {
    vty = await FakeBgpdVty.start(dir);
    const { port, vtysh } = setup();
    await port.runBatch(['ip prefix-list a seq 5 deny any'], { target: 'all' });
    await port.runBatch(['ip prefix-list a seq 5 deny any']);
    await port.runExec(['clear bgp ipv4 unicast 192.0.2.1 soft out']);
    await port.showRunning();
    await port.reload('frr defaults traditional\n');
    await port.writeConfigFile('frr defaults traditional\n');
    expect(vtysh.calls.map((c) => c.type)).to.deep.equal(['batch', 'batch', 'exec', 'show', 'reload', 'write']);
    expect(vty.sessions).to.deep.equal([]);
  });

  it('refuses a line holding a newline without sending anything', async () => {
    vty = await FakeBgpdVty.start(dir);
    const { port } = setup();
    const result = await port.runBatch(['router bgp 64512', ' neighbor 192.0.2.1 description a\nexit'], { target: 'bgpd' });
    expect(!result.ok && result.error.reason).to.equal('rejected');
    expect(vty.sessions).to.deep.equal([]);
  });
});

async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(done(), 'condition reached').to.equal(true);
}
