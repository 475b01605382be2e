import { expect } from 'chai';
import { FrrQueryError } from './frr-query.ts';
import { vtyshQuery } from './vtysh-query.ts';

/** A stand-in for vtysh: node runs `script` with the arguments vtysh would get after `--`. */
const fakeVtysh = (script: string, timeoutMs?: number) =>
  vtyshQuery({ command: [process.execPath, '-e', script, '--'], ...(timeoutMs === undefined ? {} : { timeoutMs }) });

async function failureOf(promise: Promise<unknown>): Promise<FrrQueryError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof FrrQueryError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('vtyshQuery', function () {
  it('passes the command as one argument after -c and parses the JSON it prints', async function () {
    const query = fakeVtysh('console.log(JSON.stringify({ argv: process.argv.slice(1) }))');
    expect(await query.showJson('show bgp vrf all neighbors json')).to.deep.equal({ argv: ['-c', 'show bgp vrf all neighbors json'] });
  });

  it('never goes through a shell', async function () {
    const query = fakeVtysh('console.log(JSON.stringify(process.argv[2]))');
    expect(await query.showJson('show bgp json; echo $HOME `id`')).to.equal('show bgp json; echo $HOME `id`');
  });

  it('fails with exit-status and the output when vtysh exits non-zero', async function () {
    const error = await failureOf(fakeVtysh('console.error("bfdd is not running"); process.exit(1)').showJson('show bfd peers json'));
    expect(error.reason).to.equal('exit-status');
    expect(error.message).to.match(/exited 1: bfdd is not running$/);
  });

  it('fails with not-json when vtysh prints an error on stdout and exits 0', async function () {
    const error = await failureOf(fakeVtysh('console.log("% Unknown command: show bgp nonsense json")').showJson('show bgp nonsense json'));
    expect(error.reason).to.equal('not-json');
    expect(error.message).to.include('% Unknown command');
  });

  it('fails with timeout when vtysh hangs', async function () {
    const error = await failureOf(fakeVtysh('setTimeout(() => {}, 60_000)', 200).showJson('show bfd peers json'));
    expect(error.reason).to.equal('timeout');
  });

  it('fails with spawn-failed when the program does not exist', async function () {
    const error = await failureOf(vtyshQuery({ command: ['/nonexistent/vtysh'] }).showJson('show bfd peers json'));
    expect(error.reason).to.equal('spawn-failed');
  });
});
