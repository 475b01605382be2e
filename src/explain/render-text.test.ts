import { expect } from 'chai';
import { err, ok } from '../core/result.ts';
import { explainService } from './explain.ts';
import { renderExplanation } from './render-text.ts';
import { anInput, aPool, aService } from './testing.ts';

const sectionOf = (text: string, title: string): string[] => {
  const lines = text.split('\n');
  const start = lines.indexOf(title);
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
};

describe('renderExplanation', () => {
  const objects = [aPool('main', ['192.0.2.10/31']), aService('web')];

  it('puts the verdict first and leaves out the cluster sections in local mode', () => {
    const text = renderExplanation(explainService(anInput('demo/web', objects)));
    expect(text.split('\n')[0]).to.equal('Service demo/web: 192.0.2.10 from pool main, not announced — no L2Advertisement or BGPAdvertisement names pool main');
    expect(text).to.not.contain('Events');
    expect(text.endsWith('\n')).to.equal(true);
  });

  it('shows the speakers\' reports, why some could not be read, and the Events with their counts', () => {
    const bgpStatus = { status: { node: 'node-1', serviceName: 'web', serviceNamespace: 'demo', peers: ['tor-b', 'tor-a'] } };
    const event = { eventTime: '2026-11-01T10:00:00.000001Z', type: 'Warning', reason: 'AllocationFailed', note: 'pool-exhausted: full', series: { count: 3, lastObservedTime: '2026-11-01T10:05:00.000000Z' }, regarding: { kind: 'Service', namespace: 'demo', name: 'web' } };
    const e = explainService(anInput('demo/web', objects, { cluster: { l2Statuses: err('403 forbidden'), bgpStatuses: ok([bgpStatus]), events: ok([event]) } }));
    const text = renderExplanation(e);
    expect(sectionOf(text, 'Reported by the speakers')).to.deep.equal([
      '  could not list the speakers\' status objects: 403 forbidden',
      '  ServiceBGPStatus node-1: announces to tor-a, tor-b',
      '  session state: unknown (not published in the API; each speaker exports barelb_bgp_session_up)',
    ]);
    expect(sectionOf(text, 'Events (newest first, at most 10)')).to.deep.equal(['  2026-11-01T10:05:00.000000Z Warning AllocationFailed (x3): pool-exhausted: full']);
  });

  it('says when the Events could not be listed', () => {
    const e = explainService(anInput('demo/web', objects, { cluster: { events: err('connection refused') } }));
    expect(sectionOf(renderExplanation(e), 'Events (newest first, at most 10)')).to.deep.equal(['  could not list Events: connection refused']);
  });
});
