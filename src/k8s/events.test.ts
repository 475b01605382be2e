import { expect } from 'chai';
import { eventBody, eventName, microTime } from './events.ts';

describe('events.k8s.io bodies', () => {
  it('writes eventTime with the six fractional digits the API server requires', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).to.equal('2026-01-02T03:04:05.678000Z');
  });

  it('names Events like client-go (name, dot, hex time) and never twice the same within a millisecond', () => {
    const a = eventName('web', 1_700_000_000_000);
    const b = eventName('web', 1_700_000_000_000);
    expect(a).to.match(/^web\.[0-9a-f]+$/);
    expect(a).to.not.equal(b);
  });

  it('fills the required fields, bounds note and reason, and files cluster-scoped objects in default', () => {
    const body = eventBody({ regarding: { apiVersion: 'v1', kind: 'Node', namespace: '', name: 'n1' }, type: 'Warning', reason: 'R', action: 'Announce', note: 'x'.repeat(2000) }, 'barelb.io/speaker', 'i'.repeat(200), 0);
    expect(body).to.include({ reportingController: 'barelb.io/speaker', type: 'Warning', reason: 'R', action: 'Announce' });
    expect(String(body['note'])).to.have.length(1024);
    expect(String(body['reportingInstance'])).to.have.length(128);
    expect((body['metadata'] as { namespace: string }).namespace).to.equal('default');
    expect(JSON.parse(JSON.stringify(body['regarding']))).to.deep.equal({ apiVersion: 'v1', kind: 'Node', name: 'n1' });
  });
});
