import { expect } from 'chai';
import fc from 'fast-check';
import { BATCH_START, SESSION_CLOSE, encodeCommands, readBatch, readOpen, splitReplies } from './vty-protocol.ts';
import type { VtyReply } from './vty-protocol.ts';

const frame = (text: string, status: number): Buffer => Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0, 0, 0, status])]);
const accepted = (): VtyReply => ({ text: '', status: 0 });
/** Replies to `[BATCH_START, ...commands, ...SESSION_CLOSE]`, with `at` overriding some. */
const batchReplies = (commands: readonly string[], at: Readonly<Record<number, VtyReply>> = {}): VtyReply[] =>
  [BATCH_START, ...commands, ...SESSION_CLOSE].map((_, i) => at[i] ?? accepted());

// Captured from bgpd 10.3 over its vty socket (e2e/bgp/vty-socket.test.ts checks them live).
const COMMIT_FAILED = [
  '% Configuration failed.', '', 'Error type: validation',
  'Error description: Invalid prefix range for 198.18.0.0/24: Make sure that mask length <= ge <= le',
  'The following commands were dynamically grouped into the same transaction and rejected:',
  '- ip prefix-list pl2 seq 5 permit 198.18.0.0/24 ge 8',
].join('\n');

describe('splitReplies', () => {
  it('splits text + \\0\\0\\0<status> frames and keeps an unfinished one for later', () => {
    const data = Buffer.concat([frame('', 0), frame('% [BGP] Unknown command: x\n', 2), Buffer.from('partial\0\0')]);
    const split = splitReplies(data);
    expect(split.ok && split.value.replies).to.deep.equal([{ text: '', status: 0 }, { text: '% [BGP] Unknown command: x\n', status: 2 }]);
    expect(split.ok && split.value.rest.toString()).to.equal('partial\0\0');
  });

  it('refuses a trailer that is not three NULs', () => {
    expect(splitReplies(Buffer.from('text\0x\0\x02'))).to.deep.equal({ ok: false, error: 'malformed vty reply trailer at byte 4' });
  });

  it('finds the same replies however the bytes arrive', () => {
    const reply = fc.record({ text: fc.string().map((s) => s.replaceAll('\0', '')), status: fc.integer({ min: 0, max: 16 }) });
    fc.assert(fc.property(fc.array(reply, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (replies, cuts) => {
      const data = Buffer.concat(replies.map((r) => frame(r.text, r.status)));
      const got: VtyReply[] = [];
      let rest: Buffer = Buffer.alloc(0);
      let at = 0;
      for (const cut of [...cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b), data.length]) {
        const split = splitReplies(Buffer.concat([rest, data.subarray(at, Math.max(at, cut))]));
        if (!split.ok) return false;
        got.push(...split.value.replies);
        rest = split.value.rest;
        at = Math.max(at, cut);
      }
      expect(got).to.deep.equal(replies);
      return rest.length === 0;
    }));
  });
});

describe('encodeCommands', () => {
  it('terminates each command with a NUL, as vtysh writes them', () => {
    expect(encodeCommands(['enable', ' network 198.18.0.1/32'])).to.deep.equal({ ok: true, value: Buffer.from('enable\0 network 198.18.0.1/32\0') });
  });

  it('refuses a command that would become two, without echoing its secret', () => {
    expect(encodeCommands(['x', ' neighbor 192.0.2.1 password s3cret\nexit'])).to.deep.equal({
      ok: false,
      error: 'command 2 contains a NUL or newline: " neighbor 192.0.2.1 password <redacted>\\nexit"',
    });
  });
});

describe('readOpen', () => {
  it('accepts enable and configure terminal', () => {
    expect(readOpen([accepted(), accepted()])).to.deep.equal({ ok: true, value: undefined });
  });

  it('reports a locked configuration as locked', () => {
    const locked = { text: "% Can't enter config; candidate datastore locked by another session\n", status: 13 };
    expect(readOpen([accepted(), locked])).to.deep.equal({
      ok: false,
      error: { reason: 'locked', message: "bgpd refused 'conf term file-lock' (config failed)", details: ["% Can't enter config; candidate datastore locked by another session"] },
    });
  });
});

describe('readBatch', () => {
  const commands = ['router bgp 64512', ' neighbor 192.0.2.1 remote-ass 64500', ' neighbor 192.0.2.9 password s3cret', ' neighbor 192.0.2.1', 'exit'];

  it('passes a batch whose every line bgpd took, keeping its warnings', () => {
    const replies = batchReplies(commands, { 2: { text: '% BGP: Unknown neighbor\n', status: 1 } });
    expect(readBatch(commands, replies)).to.deep.equal({ ok: true, value: { warnings: ['% BGP: Unknown neighbor'] } });
  });

  it('names each refused line by its number and command, secrets redacted', () => {
    const replies = batchReplies(commands, {
      2: { text: '% [BGP] Unknown command:  neighbor 192.0.2.1 remote-ass 64500\n', status: 2 },
      3: { text: '% Specify remote-as or peer-group commands first\n', status: 13 },
      4: { text: '% Command incomplete.\n', status: 4 },
    });
    expect(readBatch(commands, replies)).to.deep.equal({
      ok: false,
      error: {
        reason: 'rejected',
        message: 'bgpd refused 3 of 5 lines',
        details: [
          'line 2: % [BGP] Unknown command:  neighbor 192.0.2.1 remote-ass 64500 [unknown command]',
          'line 3: % Specify remote-as or peer-group commands first (neighbor 192.0.2.9 password <redacted>) [config failed]',
          'line 4: % Command incomplete. (neighbor 192.0.2.1) [incomplete command]',
        ],
      },
    });
  });

  it('rejects a batch whose northbound commit failed at XFRR_end_configuration, though its status is 0', () => {
    const lines = ['ip prefix-list pl2 seq 5 permit 198.18.0.0/24 ge 8'];
    const result = readBatch(lines, batchReplies(lines, { 2: { text: COMMIT_FAILED, status: 0 } }));
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.error.reason).to.equal('rejected');
    expect(!result.ok && result.error.message).to.equal("bgpd did not commit the batch's northbound changes");
    expect(!result.ok && result.error.details).to.include.members(['% Configuration failed.', '- ip prefix-list pl2 seq 5 permit 198.18.0.0/24 ge 8']);
  });
});
