import { expect } from 'chai';
import type { Mac } from './codec/bytes.ts';
import { eligibleInterfaces, IFF_BROADCAST, IFF_LOOPBACK, IFF_NOARP, IFF_UP, ineligibility, linkLocalsFromProc, type InterfaceInfo } from './link-scan.ts';

const anIf = (ifname: string, o: Partial<InterfaceInfo> = {}): InterfaceInfo => ({
  ifname, ifindex: 2, flags: IFF_UP | IFF_BROADCAST, mac: '02:00:00:00:00:01' as Mac, enslaved: false, linkLocal: null, ...o,
});

describe('interface eligibility', () => {
  const rows: readonly { name: string; info: InterfaceInfo; want: string | null }[] = [
    { name: 'an up Ethernet interface', info: anIf('eth0'), want: null },
    { name: 'a down interface', info: anIf('eth0', { flags: IFF_BROADCAST }), want: 'down' },
    { name: 'loopback', info: anIf('lo', { flags: IFF_UP | IFF_LOOPBACK }), want: 'loopback' },
    { name: 'a point-to-point tunnel', info: anIf('wg0', { flags: IFF_UP }), want: 'no-broadcast' },
    { name: 'a dummy (NOARP) holding Service addresses', info: anIf('kube-ipvs0', { flags: IFF_UP | IFF_BROADCAST | IFF_NOARP }), want: 'noarp' },
    { name: 'a bond port', info: anIf('eth1', { enslaved: true }), want: 'enslaved' },
    { name: 'an excluded name', info: anIf('veth1234'), want: 'excluded' },
  ];
  for (const row of rows) {
    it(`${row.want === null ? 'answers on' : 'skips'} ${row.name}${row.want === null ? '' : ` (${row.want})`}`, () => {
      expect(ineligibility(row.info, [/^veth/])).to.equal(row.want);
    });
  }

  it('keeps the eligible ones, sorted by name', () => {
    expect(eligibleInterfaces([anIf('eth1'), anIf('lo', { flags: 0x9 }), anIf('eth0')], []).map((i) => i.ifname)).to.deep.equal(['eth0', 'eth1']);
  });

  it('reads the first link-local address per interface from /proc/net/if_inet6', () => {
    const proc = [
      '00000000000000000000000000000001 01 80 10 80       lo',
      'fe80000000000000fc9fa3fffebe29c1 02 40 20 80     eth0',
      '20010db8000000000000000000000011 02 40 00 82     eth0',
      'fe800000000000000000000000000002 02 40 20 80     eth0',
      'garbage',
    ].join('\n');
    expect([...linkLocalsFromProc(proc)]).to.deep.equal([['eth0', 'fe80::fc9f:a3ff:febe:29c1']]);
  });
});
