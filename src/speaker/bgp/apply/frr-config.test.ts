import { expect } from 'chai';
import fc from 'fast-check';
import { contextKey, parseFrrConfig, printFrrConfig } from './frr-config.ts';
import type { FrrConfig } from './frr-config.ts';

const linesOf = (config: FrrConfig, ...path: string[]): readonly string[] | undefined => config.contexts.get(contextKey(path))?.lines;

describe('parseFrrConfig', () => {
  it('reads MetalLB structure: route-map bodies end at the next unindented global, address-families merge', () => {
    const config = parseFrrConfig([
      'log stdout informational',
      'route-map p-in deny 20',
      'route-map p-out permit 1',
      '  match ip address prefix-list p-lp',
      '  set local-preference 300',
      '',
      'ip prefix-list p-lp seq 1 permit 203.0.113.10/32',
      'router bgp 64512',
      '  neighbor 192.0.2.1 remote-as 64500',
      '  address-family ipv4 unicast',
      '    neighbor 192.0.2.1 activate',
      '  exit-address-family',
      '  address-family ipv4 unicast',
      '    network 203.0.113.10/32',
      '  exit-address-family',
      '',
    ].join('\n'));
    expect(config.globals).to.deep.equal(['log stdout informational', 'ip prefix-list p-lp seq 1 permit 203.0.113.10/32']);
    expect(linesOf(config, 'route-map p-in deny 20')).to.deep.equal([]);
    expect(linesOf(config, 'route-map p-out permit 1')).to.deep.equal(['match ip address prefix-list p-lp', 'set local-preference 300']);
    expect(linesOf(config, 'router bgp 64512')).to.deep.equal(['neighbor 192.0.2.1 remote-as 64500']);
    expect(linesOf(config, 'router bgp 64512', 'address-family ipv4 unicast')).to.deep.equal(['neighbor 192.0.2.1 activate', 'network 203.0.113.10/32']);
  });

  it('collapses tabs and trailing spaces and drops duplicate lines', () => {
    const config = parseFrrConfig('router bgp 1\n\tneighbor 10.0.0.1   update-source 10.1.1.254 \n  neighbor 10.0.0.1 update-source 10.1.1.254\n');
    expect(linesOf(config, 'router bgp 1')).to.deep.equal(['neighbor 10.0.0.1 update-source 10.1.1.254']);
  });

  it('reads show running-config: header, `!` comments, exit markers and `end`', () => {
    const config = parseFrrConfig([
      'Building configuration...', '', 'Current configuration:', '!', 'frr version 10.3',
      'route-map a permit 1', ' on-match next', 'exit', '!',
      'router bgp 64512', ' bgp router-id 192.0.2.11', ' !', ' address-family ipv4 unicast', '  network 203.0.113.0/24',
      ' exit-address-family', 'exit', '!', 'bfd', ' profile fast', '  echo-mode', ' exit', ' !', 'exit', '!', 'end', '',
    ].join('\n'));
    expect(config.globals).to.deep.equal(['frr version 10.3']);
    expect([...config.contexts.keys()]).to.deep.equal([
      'route-map a permit 1', 'router bgp 64512', 'router bgp 64512\naddress-family ipv4 unicast', 'bfd', 'bfd\nprofile fast',
    ]);
    expect(linesOf(config, 'bfd', 'profile fast')).to.deep.equal(['echo-mode']);
  });

  it('treats a profile line as a sibling of the open profile when nothing closes it', () => {
    const config = parseFrrConfig('bfd\n  profile bar\n    receive-interval 60\n  profile foo\n    detect-multiplier 5\n');
    expect(linesOf(config, 'bfd', 'profile bar')).to.deep.equal(['receive-interval 60']);
    expect(linesOf(config, 'bfd', 'profile foo')).to.deep.equal(['detect-multiplier 5']);
  });

  it('keeps an unindented non-global line in the open context, and an indented `ip route` in its vrf', () => {
    const config = parseFrrConfig('router bgp 1\nbgp router-id 192.0.2.1\nvrf red\n ip route 198.51.100.0/24 192.0.2.254\nexit-vrf\n');
    expect(linesOf(config, 'router bgp 1')).to.deep.equal(['bgp router-id 192.0.2.1']);
    expect(linesOf(config, 'vrf red')).to.deep.equal(['ip route 198.51.100.0/24 192.0.2.254']);
  });

  it('never throws, and printing then parsing gives the same model', () => {
    const token = fc.constantFrom('router bgp 1', ' neighbor 192.0.2.1 remote-as 2', 'route-map a permit 1', ' set community 1:1',
      'bfd', ' profile x', '  detect-multiplier 4', 'exit', 'exit-address-family', ' address-family ipv4 unicast', '  network 203.0.113.0/24',
      'ip prefix-list a seq 1 permit any', '!', '', 'end', 'garbage line');
    fc.assert(fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
      const config = parseFrrConfig(tokens.join('\n'));
      expect(parseFrrConfig(printFrrConfig(config))).to.deep.equal(config);
    }));
  });
});
