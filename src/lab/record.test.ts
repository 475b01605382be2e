import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabRecord, isRunning, parseProcStat } from './record.ts';

describe('the lab record', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-lab-record-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads state and start time from /proc/PID/stat, even when the name holds spaces and parentheses', () => {
    const stat = '4242 (node (lab) x) S 1 4242 4242 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 11 0 987654 1000 200';
    expect(parseProcStat(stat)).to.deep.equal({ state: 'S', start: '987654' });
    expect(parseProcStat('garbage')).to.equal(null);
  });

  it('tells this process apart from the same PID with another start time', () => {
    const start = parseProcStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'))?.start ?? null;
    expect(isRunning({ pid: process.pid, start, label: 'me' })).to.equal(true);
    expect(isRunning({ pid: process.pid, start: '1', label: 'a reused pid' })).to.equal(false);
  });

  it('keeps every change on disk, so another process finds what was created', () => {
    const file = join(dir, 'lab.json');
    const record = LabRecord.create(file, '/var/cache/barelb/frr-trixie-v1');
    record.addNamespace('blab-router');
    record.addNamespace('blab-node1');
    record.addPid(process.pid);
    record.label(process.pid, 'speaker node-1');
    record.addPath('/var/cache/barelb/frr-trixie-v1/etc/frr/blab-router');
    record.dropNamespace('blab-node1');
    const again = LabRecord.load(file);
    expect(again?.namespaces).to.deep.equal(['blab-router']);
    expect(again?.process('speaker node-1')?.pid).to.equal(process.pid);
    expect(again?.paths).to.deep.equal(['/var/cache/barelb/frr-trixie-v1/etc/frr/blab-router']);
    expect(again?.frrRoot).to.equal('/var/cache/barelb/frr-trixie-v1');
  });

  it('has no record where there is no file, and refuses a file that is not one', () => {
    expect(LabRecord.load(join(dir, 'missing.json'))).to.equal(null);
    writeFileSync(join(dir, 'other.json'), '{"services": {}}');
    expect(() => LabRecord.load(join(dir, 'other.json'))).to.throw('is not a barelb lab record');
  });
});
