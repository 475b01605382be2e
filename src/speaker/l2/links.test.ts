import { expect } from 'chai';
import type { Mac } from './codec/bytes.ts';
import { anInterface, FakeLink } from './handler-testing.ts';
import { allInterfaces } from './interfaces.ts';
import { LinkSet } from './links.ts';
import { ip, onlyOn } from './testing.ts';

const A = '02:00:5e:00:00:0a' as Mac;
const B = '02:00:5e:00:00:0b' as Mac;

function aLinkSet(fail: readonly string[] = []) {
  const opened: FakeLink[] = [];
  const errors: string[] = [];
  const set = new LinkSet(
    (ifname) => {
      if (fail.includes(ifname)) throw new Error(`cannot open ${ifname}`);
      const link = new FakeLink(ifname, ifname === 'eth0' ? 2 : 3, ifname === 'eth0' ? A : B);
      opened.push(link);
      return link;
    },
    { onFrame: () => undefined, onError: (ifname, e) => void errors.push(`${ifname}: ${e.message}`) },
  );
  return { set, opened, errors };
}

describe('raw link set', () => {
  it('opens new interfaces, keeps open ones, and closes those gone or re-created with another index', () => {
    const { set, opened } = aLinkSet();
    expect(set.reconcile([anInterface('eth0', 2, A), anInterface('eth1', 3, B)])).to.deep.equal({ opened: ['eth0', 'eth1'], closed: [], failed: [] });
    expect(set.reconcile([anInterface('eth0', 2, A)])).to.deep.equal({ opened: [], closed: ['eth1'], failed: [] });
    expect(set.reconcile([anInterface('eth0', 9, A)])).to.deep.equal({ opened: ['eth0'], closed: ['eth0'], failed: [] });
    expect(opened.map((l) => `${l.ifname} ${l.closed}`)).to.deep.equal(['eth0 true', 'eth1 true', 'eth0 false']);
  });

  it('reports an interface it cannot open and tries again on the next scan', () => {
    const { set } = aLinkSet(['eth1']);
    expect(set.reconcile([anInterface('eth1', 3, B)]).failed).to.deep.equal([{ ifname: 'eth1', error: 'cannot open eth1' }]);
    expect(set.reconcile([anInterface('eth1', 3, B)]).failed).to.have.length(1);
  });

  it('follows a MAC or link-local address that changes under an open link', () => {
    const { set } = aLinkSet();
    set.reconcile([anInterface('eth0', 2, A, { linkLocal: null })]);
    set.reconcile([anInterface('eth0', 2, B)]);
    expect(set.links().map((l) => l.view)).to.deep.equal([{ ifname: 'eth0', mac: B, linkLocal: 'fe80::2' }]);
    expect([...set.localMacs()]).to.deep.equal([B]);
  });

  it('joins each solicited-node group once however many owned addresses need it, and leaves it with the last', () => {
    const { set, opened } = aLinkSet();
    set.reconcile([anInterface('eth0', 2, A), anInterface('eth1', 3, B)]);
    const [eth0, eth1] = opened as [FakeLink, FakeLink];
    // 2001:db8::200 and 2001:db8:1::200 share the low 24 bits, hence the group ff02::1:ff00:200.
    set.setGroups(new Map([[ip('2001:db8::200'), allInterfaces], [ip('2001:db8:1::200'), onlyOn('eth0')], [ip('192.0.2.1'), allInterfaces]]));
    expect([[...eth0.groups], [...eth1.groups]]).to.deep.equal([['33:33:ff:00:02:00'], ['33:33:ff:00:02:00']]);
    expect(set.links().map((l) => [...l.groups])).to.deep.equal([[['33:33:ff:00:02:00', 2]], [['33:33:ff:00:02:00', 1]]]);
    set.setGroups(new Map([[ip('2001:db8:1::200'), onlyOn('eth0')]]));
    expect([[...eth0.groups], [...eth1.groups]]).to.deep.equal([['33:33:ff:00:02:00'], []]);
    set.setGroups(new Map());
    expect([...eth0.groups]).to.deep.equal([]);
  });
});
