import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import { contextKey, parseFrrConfig } from './frr-config.ts';
import { normaliseConfig, readConfig, textForReload } from './normalise.ts';
import { debugLines } from '../view-model.ts';
import { planApply } from './plan.ts';

const testdata = (name: string): string => readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8');

describe('normaliseConfig', () => {
  it('makes a rendered file equal to the running config FRR 10.3 printed for it', () => {
    const plan = planApply(readConfig(testdata('lab-running-10.3.conf')), readConfig(testdata('lab-desired.conf')));
    expect(plan.changes).to.deep.equal([]);
  });

  const rows: readonly { name: string; text: string; path: string[]; lines: string[] }[] = [
    { name: 'drops the default port', text: 'router bgp 1\n neighbor 192.0.2.1 remote-as 2\n neighbor 192.0.2.1 port 179\n', path: ['router bgp 1'], lines: ['neighbor 192.0.2.1 remote-as 2'] },
    { name: 'keeps another port', text: 'router bgp 1\n neighbor 192.0.2.1 port 180\n', path: ['router bgp 1'], lines: ['neighbor 192.0.2.1 port 180'] },
    { name: 'prints ebgp-multihop 255 bare', text: 'router bgp 1\n neighbor 192.0.2.1 ebgp-multihop 255\n', path: ['router bgp 1'], lines: ['neighbor 192.0.2.1 ebgp-multihop'] },
    { name: 'adds the bfd line a profile implies', text: 'router bgp 1\n neighbor 192.0.2.1 bfd profile f\n', path: ['router bgp 1'], lines: ['neighbor 192.0.2.1 bfd', 'neighbor 192.0.2.1 bfd profile f'] },
    { name: 'clears host bits of networks', text: 'router bgp 1\n address-family ipv4 unicast\n  network 172.16.1.10/24\n', path: ['router bgp 1', 'address-family ipv4 unicast'], lines: ['network 172.16.1.0/24'] },
    { name: 'drops BFD default timers and splits echo-interval', text: 'bfd\n profile f\n  receive-interval 300\n  detect-multiplier 5\n  echo-interval 90\n', path: ['bfd', 'profile f'], lines: ['detect-multiplier 5', 'echo receive-interval 90', 'echo transmit-interval 90'] },
    { name: 'names well-known communities', text: 'route-map a permit 1\n set community 65535:65281 64500:1 additive\n', path: ['route-map a permit 1'], lines: ['set community no-export 64500:1 additive'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(readConfig(row.text).contexts.get(contextKey(row.path))?.lines).to.deep.equal(row.lines);
    });
  }

  it('drops globals FRR owns or hides, and clears host bits in prefix-lists', () => {
    const config = readConfig([
      'frr version 10.3', 'frr defaults traditional', 'hostname vm', 'service integrated-vtysh-config', 'no ip forwarding',
      'ip nht resolve-via-default', 'no ipv6 nht resolve-via-default', 'ip prefix-list a seq 1 permit 172.16.1.10/24 le 32', 'ip prefix-list a seq 2 deny any',
    ].join('\n'));
    expect(config.globals).to.deep.equal(['no ipv6 nht resolve-via-default', 'ip prefix-list a seq 1 permit 172.16.1.0/24 le 32', 'ip prefix-list a seq 2 deny any']);
  });

  it('spells logging and debug lines as running config prints them at the debugging level', () => {
    const config = readConfig(['log stdout debugging', 'log syslog debugging', 'log file /tmp/f debugging', 'log stdout informational', 'debug bgp updates', 'debug bgp nht'].join('\n'));
    expect(config.globals).to.deep.equal(['log stdout', 'log syslog', 'log file /tmp/f', 'log stdout informational', 'debug bgp updates in', 'debug bgp updates out', 'debug bgp nht']);
  });

  it('finds no change between the debug-level logging lines barelb renders and what FRR 10.3 prints for them', () => {
    const rendered = ['log stdout debugging', 'log timestamp precision 3', ...debugLines].join('\n');
    const running = [
      'log stdout', 'log timestamp precision 3', 'debug zebra events', 'debug zebra kernel', 'debug zebra rib', 'debug zebra nht', 'debug zebra nexthop',
      'debug bgp keepalives', 'debug bgp neighbor-events', 'debug bgp nht', 'debug bgp updates in', 'debug bgp updates out', 'debug bgp zebra',
      'debug bfd peer', 'debug bfd zebra', 'debug bfd network',
    ].join('\n');
    expect(planApply(readConfig(running), readConfig(rendered)).changes).to.deep.equal([]);
  });

  it('drops empty address-families and an empty bfd node, but keeps empty route-map entries and profiles', () => {
    const config = readConfig('route-map a-in deny 20\nrouter bgp 1\n address-family ipv6 unicast\n exit-address-family\nexit\nbfd\nexit\nbfd\n profile p\n');
    expect([...config.contexts.keys()]).to.deep.equal(['route-map a-in deny 20', 'router bgp 1', 'bfd', 'bfd\nprofile p']);
    expect([...readConfig('bfd\nexit\n').contexts.keys()]).to.deep.equal([]);
  });

  it('is idempotent', () => {
    const line = fc.constantFrom('router bgp 1', ' neighbor 192.0.2.1 port 179', ' neighbor 192.0.2.1 ebgp-multihop 255',
      ' neighbor 192.0.2.1 bfd profile x', 'bfd', ' profile x', '  echo-interval 50', '  receive-interval 300',
      ' address-family ipv4 unicast', '  network 203.0.113.7/24', 'exit', 'hostname a', 'ip prefix-list q seq 1 permit 203.0.113.1/24');
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const once = normaliseConfig(parseFrrConfig(lines.join('\n')));
      expect(normaliseConfig(once)).to.deep.equal(once);
    }));
  });

  it('hands frr-reload.py the running hostname and forwarding lines, so that it leaves them alone', () => {
    const desired = 'frr defaults traditional\nhostname node1\nlog stdout\nrouter bgp 1\nexit\n';
    const running = 'frr version 10.3\nhostname vm\nno ip forwarding\nno ipv6 forwarding\n';
    expect(textForReload(desired, running)).to.equal('frr defaults traditional\nhostname vm\nno ip forwarding\nno ipv6 forwarding\nlog stdout\nrouter bgp 1\nexit\n');
  });
});
