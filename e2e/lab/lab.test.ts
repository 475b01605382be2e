// `barelb lab` end to end, run as a user runs it (a process, on the real network namespaces and
// FRR): every step passes, the summary shows the ECMP route at the router, the client's L2 reply
// and a failover under a second; and `lab down` leaves nothing, also after `lab up` was killed.
import { expect } from 'chai';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frrRoot } from '../harness/frr-root.ts';
import { waitFor } from '../harness/wait.ts';

const BARELB = fileURLToPath(new URL('../../src/bin/barelb.ts', import.meta.url));
const FAILOVER_LIMIT_MS = 1_000;

const barelb = (args: readonly string[], timeoutMs: number) =>
  execa(process.execPath, [BARELB, ...args], { reject: false, timeout: timeoutMs, stdin: 'ignore', env: { LC_ALL: 'C' } });

/** The summary table's rows by step title: [result, time, what was shown]. */
function summaryRows(stdout: string): Map<string, { result: string; shown: string }> {
  const table = stdout.slice(stdout.lastIndexOf('\nSUMMARY\n'));
  const rows = new Map<string, { result: string; shown: string }>();
  for (const line of table.split('\n')) {
    const m = /^(.+?)\s{2,}(pass|FAIL|skipped)\s+(\S+(?: m?s)?)\s+(.*)$/.exec(line);
    if (m !== null) rows.set(m[1] ?? '', { result: m[2] ?? '', shown: m[4] ?? '' });
  }
  return rows;
}

const labNamespaces = (): string[] => readdirOr('/run/netns').filter((n) => n.startsWith('blab-'));

function readdirOr(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** PIDs of processes that belong to the lab in `dir`: marked in their environment, or named for a lab namespace. */
function labProcesses(dir: string): string[] {
  return readdirOr('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid).filter((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      return cmdline.includes('blab-') || cmdline.includes(dir) || environ.includes(`BARELB_LAB_DIR=${dir}\0`);
    } catch {
      return false;
    }
  });
}

function expectNothingLeft(dir: string): void {
  expect(labNamespaces(), 'blab- namespaces').to.deep.equal([]);
  expect(labProcesses(dir), 'lab processes').to.deep.equal([]);
  expect(existsSync(dir), `${dir} removed`).to.equal(false);
  const chroot = ['/etc/frr', '/run/frr', '/tmp'].flatMap((d) => readdirOr(join(frrRoot(), d)).filter((e) => e.startsWith('blab-')));
  expect(chroot, 'blab- entries in the FRR chroot').to.deep.equal([]);
}

describe('barelb lab', function () {
  this.timeout(5 * 60_000);
  let dir = '';

  beforeEach(() => {
    expect(labNamespaces(), 'no lab running before the test').to.deep.equal([]);
    dir = mkdtempSync(join(tmpdir(), 'barelb-lab-e2e-'));
  });

  afterEach(async () => {
    // Whatever happened, leave nothing behind for the next test (down is idempotent).
    await barelb(['lab', 'down', '--dir', dir], 60_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the ECMP route at the router, the L2 reply at the client and a failover under a second, then removes everything', async () => {
    const r = await barelb(['lab', '--dir', dir], 4 * 60_000);
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.exitCode, output).to.equal(0);
    const rows = summaryRows(r.stdout);
    expect([...rows.values()].every((row) => row.result === 'pass'), output).to.equal(true);
    expect(rows.size, output).to.equal(13);

    const route = rows.get('BGP route at the router, ECMP');
    expect(route?.shown, 'three next hops in the router\'s FIB').to.match(/^203\.0\.113\.\d+\/32 via 192\.0\.2\.11, 192\.0\.2\.12, 192\.0\.2\.13 in the router's FIB \(ECMP\), community 64512:100$/);
    expect(rows.get('client reaches the BGP address')?.shown).to.match(/: 6\/6 answered, by node-/);
    expect(rows.get('client reaches the L2 address')?.shown).to.match(/^192\.0\.2\.\d+:9000 from 192\.0\.2\.100 on the segment: answered by (node-\d); the client's ARP entry is \1's eth0/);
    const failover = /SIGKILLed: (node-\d) answered 192\.0\.2\.\d+ after (\d+) ms/.exec(rows.get('failover: L2 owner\'s speaker killed')?.shown ?? '');
    expect(failover, output).to.not.equal(null);
    expect(Number(failover?.[2]), 'failover time').to.be.lessThan(FAILOVER_LIMIT_MS);
    console.log(`      failover after SIGKILL: ${failover?.[2]} ms`);
    expect(r.stdout).to.contain('\n13 of 13 steps passed in ');

    expectNothingLeft(dir);
    const again = await barelb(['lab', 'down', '--dir', dir], 60_000);
    expect(again.exitCode).to.equal(0);
    expect(again.stdout).to.equal('nothing to remove');
  });

  it('removes a lab whose `lab up` was killed half-way, after `lab status` described what ran', async () => {
    const up = barelb(['lab', 'up', '--dir', dir], 4 * 60_000);
    const record = join(dir, 'lab.json');
    // Killed once the speakers run: namespaces, FRR and barelb processes all exist by then.
    await waitFor(() => existsSync(record) && readFileSync(record, 'utf8').includes('"speaker node-3"'), 120_000, { what: 'lab up to start the speakers', intervalMs: 100 });
    up.kill('SIGKILL');
    await up;
    const pids = (JSON.parse(readFileSync(record, 'utf8')) as { processes: { pid: number }[] }).processes.map((p) => p.pid);
    expect(pids.length).to.be.greaterThan(15);
    expect(labNamespaces()).to.have.length(5);

    const status = await barelb(['lab', 'status', '--dir', dir], 60_000);
    expect(status.exitCode, status.stderr).to.equal(0);
    expect(status.stdout).to.match(/\n {2}speaker node-3 +\d+ +running\n/);
    expect(status.stdout).to.contain('blab-router  present');

    const down = await barelb(['lab', 'down', '--dir', dir], 60_000);
    expect(down.exitCode, down.stderr).to.equal(0);
    expect(down.stdout).to.match(/^5 namespaces, \d+ processes and \d+ files or directories removed/);
    expectNothingLeft(dir);
    expect(pids.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')), 'recorded PIDs still running').to.deep.equal([]);
  });
});
