import { expect } from 'chai';
import { missingPackages } from './host.ts';
import { l2Announcers, parseAnnounced, parseGauge } from './observe.ts';
import { NAMESPACES, NODES, isLabName, labPaths, routerConfig } from './topology.ts';

describe('the lab topology', () => {
  it('names every namespace with the blab- prefix, so down can sweep them after a crash', () => {
    expect(NAMESPACES).to.deep.equal(['blab-router', 'blab-node1', 'blab-node2', 'blab-node3', 'blab-client']);
    expect(NAMESPACES.every(isLabName)).to.equal(true);
    expect(['blb-123-1-router', 'blab-../etc', 'router'].some(isLabName)).to.equal(false);
  });

  it('gives the router one eBGP neighbour per node with ECMP over them', () => {
    const config = routerConfig();
    for (const n of NODES) expect(config).to.contain(` neighbor ${n.ipv4} remote-as 64512\n`).and.to.contain(`  neighbor ${n.ipv4} activate\n`);
    expect(config).to.contain('router bgp 64500\n').and.to.contain('  maximum-paths 8\n');
  });

  it('keeps manifests, logs, record and key inside the lab directory', () => {
    expect(labPaths('/var/lib/barelb-lab')).to.deep.equal({
      dir: '/var/lib/barelb-lab',
      manifests: '/var/lib/barelb-lab/manifests',
      logs: '/var/lib/barelb-lab/logs',
      record: '/var/lib/barelb-lab/lab.json',
      heartbeatKey: '/var/lib/barelb-lab/heartbeat.key',
    });
  });
});

describe('lab host checks', () => {
  it('names the Debian package of every missing tool once', () => {
    const tools = [['ip', 'iproute2'], ['unshare', 'util-linux'], ['flock', 'util-linux'], ['debootstrap', 'debootstrap']] as const;
    expect(missingPackages(tools, () => true)).to.deep.equal([]);
    expect(missingPackages(tools, (c) => c === 'ip')).to.deep.equal(['debootstrap', 'util-linux']);
  });
});

describe('reading the speakers\' metrics', () => {
  const text = [
    '# HELP barelb_speaker_announced Service addresses this speaker announces',
    'barelb_speaker_announced{service="demo/web-bgp",protocol="bgp",node="node-2",ip="203.0.113.10"} 1',
    'barelb_speaker_announced{service="demo/web-l2",protocol="layer2",node="node-2",ip="192.0.2.200"} 1',
    'barelb_speaker_announced{service="demo/old",protocol="layer2",node="node-2",ip="192.0.2.201"} 0',
    'barelb_speaker_members_alive 3',
  ].join('\n');

  it('reads the announced series set to 1 and an unlabelled gauge', () => {
    expect(parseAnnounced(text)).to.deep.equal([
      { service: 'demo/web-bgp', protocol: 'bgp', node: 'node-2', ip: '203.0.113.10' },
      { service: 'demo/web-l2', protocol: 'layer2', node: 'node-2', ip: '192.0.2.200' },
    ]);
    expect(parseGauge(text, 'barelb_speaker_members_alive')).to.equal(3);
    expect(parseGauge(text, 'barelb_missing')).to.equal(null);
  });

  it('finds the L2 owner of an address, and sees two owners as two', () => {
    const views = [
      { node: 'node-1', announced: [], membersAlive: 3 },
      { node: 'node-2', announced: parseAnnounced(text), membersAlive: 3 },
      { node: 'node-3', announced: [{ service: 'demo/web-l2', protocol: 'layer2', node: 'node-3', ip: '192.0.2.200' }], membersAlive: 3 },
    ];
    expect(l2Announcers(views.slice(0, 2), '192.0.2.200')).to.deep.equal(['node-2']);
    expect(l2Announcers(views, '192.0.2.200')).to.deep.equal(['node-2', 'node-3']);
    expect(l2Announcers(views, '203.0.113.10')).to.deep.equal([]);
  });
});
