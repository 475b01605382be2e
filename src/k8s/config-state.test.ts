import { expect } from 'chai';
import { ConfigStateReporter, objectOfError } from './config-state.ts';
import { EventRecorder } from './events.ts';
import { FakeKube } from './fake-client.ts';

const error = { object: 'IPAddressPool/barelb-system/a', field: 'spec.addresses[0]', message: 'overlaps pool "b"' };

function setup() {
  const kube = new FakeKube();
  const failures: unknown[] = [];
  const events = new EventRecorder({ client: kube, controller: 'barelb.io/controller', instance: 'c', now: () => 0, onError: (e) => void failures.push(e) });
  const reporter = new ConfigStateReporter({ client: kube, namespace: 'barelb-system', name: 'controller', events, now: () => Date.UTC(2026, 0, 1), fieldManager: 'barelb-controller', onError: (e) => void failures.push(e) });
  return { kube, events, reporter, failures };
}

describe('ConfigurationState reporting', () => {
  it('names the object an error is about', () => {
    expect(objectOfError('IPAddressPool/barelb-system/a')).to.deep.equal({ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', namespace: 'barelb-system', name: 'a' });
    expect(objectOfError('BGPPeer/barelb-system/r')?.apiVersion).to.equal('barelb.io/v1beta2');
    expect(objectOfError('Node/n1')).to.deep.equal({ apiVersion: 'v1', kind: 'Node', namespace: '', name: 'n1' });
    expect(objectOfError('nonsense/a/b/c')).to.equal(null);
  });

  it('writes Invalid with the error text and a Warning Event on the named object, once per new error', async () => {
    const t = setup();
    t.reporter.report({ valid: false, errors: [error] });
    t.reporter.report({ valid: false, errors: [error] });
    await t.reporter.settled();
    await t.events.flushed();
    const statusWrites = t.kube.writes.filter((w) => w.path.endsWith('/status'));
    expect(statusWrites).to.have.length(1);
    const status = statusWrites[0]?.body?.['status'] as Record<string, unknown>;
    expect(status['result']).to.equal('Invalid');
    expect(status['lastError']).to.equal('IPAddressPool/barelb-system/a spec.addresses[0]: overlaps pool "b"');
    const events = t.kube.writes.filter((w) => w.path.includes('/events'));
    expect(events).to.have.length(1);
    expect(events[0]?.body?.['regarding']).to.include({ kind: 'IPAddressPool', name: 'a' });
    expect(events[0]?.body?.['note']).to.contain('spec.addresses[0]: overlaps pool "b"; the last valid configuration stays in force');
    expect(t.failures).to.deep.equal([]);
  });

  it('goes back to Valid with an empty lastError', async () => {
    const t = setup();
    t.reporter.report({ valid: false, errors: [error] });
    t.reporter.report({ valid: true, errors: [] });
    await t.reporter.settled();
    const last = t.kube.writes.filter((w) => w.path.endsWith('/status')).at(-1)?.body?.['status'] as Record<string, unknown>;
    expect(last).to.include({ result: 'Valid', lastError: '' });
  });
});
