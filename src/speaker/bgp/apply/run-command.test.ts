import { expect } from 'chai';
import { runCommand } from './run-command.ts';

const opts = { timeoutMs: 5_000, killAfterMs: 500 };

describe('runCommand', () => {
  it('gives the exit status, each stream without its final newline, and both interleaved in order', async () => {
    const ran = await runCommand('/bin/sh', ['-c', 'echo one; sleep 0.05; echo two >&2; sleep 0.05; printf "three\\n\\n"; exit 3'], opts);
    expect(ran).to.deep.equal({ exitCode: 3, timedOut: false, stdout: 'one\nthree\n', stderr: 'two', all: 'one\ntwo\nthree\n', message: '' });
  });

  it('passes arguments as they are (no shell) and adds env to the environment', async () => {
    const ran = await runCommand('/bin/sh', ['-c', 'printf "%s|%s|%s" "$1" "$LC_ALL" "${PATH:+has-path}"', 'sh', '$(touch /x); echo no'], { ...opts, env: { LC_ALL: 'C' } });
    expect(ran.stdout).to.equal('$(touch /x); echo no|C|has-path');
    expect(ran.exitCode).to.equal(0);
  });

  it('gives stdin nothing: a command reading it sees the end at once', async () => {
    const ran = await runCommand('/bin/cat', [], opts);
    expect(ran).to.include({ exitCode: 0, stdout: '', timedOut: false });
  });

  it('ends a command at the deadline, with SIGKILL when it ignores SIGTERM, keeping what it printed', async () => {
    const started = Date.now();
    const ran = await runCommand('/bin/sh', ['-c', 'trap "" TERM; echo started; while :; do sleep 0.02; done'], { timeoutMs: 100, killAfterMs: 100 });
    expect(ran).to.include({ exitCode: undefined, timedOut: true, stdout: 'started', message: 'timed out after 100 ms' });
    expect(Date.now() - started).to.be.below(3_000);
  });

  it('resolves (never rejects) when the command cannot start, saying why', async () => {
    const ran = await runCommand('/nonexistent/vtysh', ['-c', 'show version'], opts);
    expect(ran.exitCode).to.equal(undefined);
    expect(ran.timedOut).to.equal(false);
    expect(ran.message).to.match(/^could not run \/nonexistent\/vtysh: .*ENOENT/);
  });
});
