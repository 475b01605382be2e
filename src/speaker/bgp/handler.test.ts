import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { parseInput } from '../../api/input.ts';
import type { Allocations } from '../../controller/reconcile.ts';
import { planAllocations } from '../../ipam/plan.ts';
import { recordingLogger } from '../../log/logger.ts';
import type { SpeakerView } from '../loop.ts';
import { bgpHandler } from './handler.ts';

const exampleObjects = (): unknown[] =>
  ['config.yaml', 'nodes.yaml', 'services.yaml'].flatMap((f) =>
    parseAllDocuments(readFileSync(new URL(`../../../examples/bgp/${f}`, import.meta.url), 'utf8')).map((d) => d.toJS() as unknown),
  );

function viewOf(objects: unknown[], node: string): SpeakerView {
  const input = parseInput(objects);
  expect(input.errors).to.deep.equal([]);
  const plan = planAllocations(input.config.pools, input.services, { loadBalancerClass: null });
  const allocations: Allocations = new Map(plan.services.flatMap((d) => (d.state === 'allocated' ? [[d.key, { ips: d.ips, pool: d.pool }] as const] : [])));
  return { node, input, allocations };
}

function handlerWithSink() {
  const submitted: string[] = [];
  const logger = recordingLogger();
  const h = bgpHandler({ hostname: 'node-1', logLevel: 'informational', ignoreExcludeLB: false, logger, sink: { submit: (t) => void submitted.push(t) } });
  return { h, submitted, logger };
}

describe('BGP handler', () => {
  it('submits the rendered frr.conf once and nothing while the view renders the same', async () => {
    const { h, submitted } = handlerWithSink();
    const view = viewOf(exampleObjects(), 'node-1');
    await h.update(view);
    await h.update(view);
    expect(submitted).to.have.length(1);
    expect(submitted[0]).to.match(/^router bgp \d+/m);
  });

  it('reports what it announces only when that changed, not on every view', async () => {
    const reports: number[] = [];
    const statuses: number[] = [];
    const h = bgpHandler({
      hostname: 'node-1', logLevel: 'informational', ignoreExcludeLB: false, logger: recordingLogger(), sink: { submit: () => undefined },
      onAnnounced: (list) => void reports.push(list.length),
      onNodeAnnouncement: (n) => void statuses.push(n.ips.length),
    });
    const view = viewOf(exampleObjects(), 'node-1');
    await h.update(view);
    await h.update({ ...view, input: { ...view.input, endpointSlices: [...view.input.endpointSlices] } });
    await h.update({ ...view, allocations: new Map(view.allocations) });
    expect(reports).to.have.length(1);
    expect(statuses).to.have.length(1);
    expect(reports[0]).to.be.greaterThan(0);
    const fewer = new Map([...view.allocations].slice(1));
    await h.update({ ...view, allocations: fewer });
    expect(reports, 'an allocation went away').to.have.length(2);
    expect(statuses).to.have.length(2);
  });

  it('submits again when an allocation goes away, without the withdrawn prefix', async () => {
    const { h, submitted } = handlerWithSink();
    const view = viewOf(exampleObjects(), 'node-1');
    await h.update(view);
    const announced = [...view.allocations].find(([, a]) => submitted[0]?.includes(`network ${a.ips[0]}/`));
    expect(announced, 'node-1 announces some Service').not.to.equal(undefined);
    const fewer = new Map([...view.allocations].filter(([k]) => k !== announced?.[0]));
    await h.update({ ...view, allocations: fewer });
    expect(submitted).to.have.length(2);
    const prefix = `network ${announced?.[1].ips[0]}/`;
    expect(submitted[1]).not.to.contain(prefix);
  });

  it('keeps FRR as it is and logs once when a peer password Secret is missing', async () => {
    const { h, submitted, logger } = handlerWithSink();
    const view = viewOf(exampleObjects(), 'node-1');
    await h.update(view);
    const peers = view.input.config.bgpPeers.map((p) => ({ ...p, password: { kind: 'secret' as const, namespace: 'barelb-system', name: 'gone' } }));
    const broken = { ...view, input: { ...view.input, config: { ...view.input.config, bgpPeers: peers } } };
    await h.update(broken);
    await h.update(broken);
    expect(submitted).to.have.length(1);
    expect(logger.records.filter((r) => r.level === 'error')).to.have.length(1);
  });
});
