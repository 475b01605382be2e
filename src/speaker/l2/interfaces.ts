// Which interfaces may carry an announcement: the advertisements' interface choice minus the
// node-wide exclusion patterns (MetalLB's announcedInterfacesToExclude, reference §6.2).

import type { InterfaceChoice } from '../../api/model.ts';

export type InterfaceFilter = {
  readonly choice: InterfaceChoice;
  /** Any match excludes the interface, even one named in `choice`. */
  readonly exclude: readonly RegExp[];
};

/** MetalLB's Helm default exclusion list (charts/metallb/templates/exclude-l2-config.yaml). */
export const metallbDefaultExcludes: readonly string[] = [
  '^docker.*', '^cbr.*', '^dummy.*', '^virbr.*', '^lxcbr.*', '^veth.*', '^lo$',
  '^cali.*', '^tunl.*', '^flannel.*', '^kube-ipvs.*', '^cni.*', '^nodelocaldns.*', '^lxc.*',
];

export const allInterfaces: InterfaceFilter = { choice: { kind: 'all' }, exclude: [] };

export function interfaceAllowed(filter: InterfaceFilter, ifname: string): boolean {
  // String.search ignores lastIndex, so a pattern compiled with /g cannot make this stateful.
  if (filter.exclude.some((re) => ifname.search(re) >= 0)) return false;
  return filter.choice.kind === 'all' || filter.choice.names.includes(ifname);
}
