import { expect } from 'chai';
import { planAllocations } from './plan.ts';
import { aPool, aService, at } from './testing.ts';

describe('pool counters', () => {
  it('counts an IPv6 /64 exactly in bigint', () => {
    const plan = planAllocations([aPool({ cidrs: ['2001:db8::/64'] })], [aService({ families: ['ipv6'] })], { loadBalancerClass: null });
    expect(plan.pools).to.deep.equal([{ name: 'blue', assignedIPv4: 0n, assignedIPv6: 1n, availableIPv4: 0n, availableIPv6: (1n << 64n) - 1n }]);
  });

  it('counts a shared IP once', () => {
    const services = [aService({ name: 'a', created: at(1), sharingKey: 'k' }), aService({ name: 'b', created: at(2), sharingKey: 'k', ports: ['UDP/53'] })];
    const plan = planAllocations([aPool()], services, { loadBalancerClass: null });
    expect(plan.pools).to.deep.equal([{ name: 'blue', assignedIPv4: 1n, assignedIPv6: 0n, availableIPv4: 255n, availableIPv6: 0n }]);
  });

  it('leaves .0 and .255 out of the capacity of a pool avoiding buggy IPs', () => {
    const plan = planAllocations([aPool({ avoidBuggyIPs: true, cidrs: ['192.0.2.0/24', '198.51.100.255/32', '2001:db8::/120'] })], [], { loadBalancerClass: null });
    expect(plan.pools).to.deep.equal([{ name: 'blue', assignedIPv4: 0n, assignedIPv6: 0n, availableIPv4: 254n, availableIPv6: 256n }]);
  });

  it('counts the addresses of a dual-stack Service in each family', () => {
    const svc = aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'RequireDualStack' });
    const plan = planAllocations([aPool({ cidrs: ['192.0.2.0/30', '2001:db8::/126'] })], [svc], { loadBalancerClass: null });
    expect(plan.pools).to.deep.equal([{ name: 'blue', assignedIPv4: 1n, assignedIPv6: 1n, availableIPv4: 3n, availableIPv6: 3n }]);
  });
});
