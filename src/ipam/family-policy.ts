// Which address families a Service gets (MetalLB §4.5): single family -> that family;
// RequireDualStack -> both; PreferDualStack -> both when possible, else one;
// SingleStack with two cluster families -> the primary family only (MetalLB errors instead).

import type { ServiceInput } from '../api/model.ts';
import { assertNever, err, ok, type Result } from '../core/result.ts';
import { ipFamily, type Family, type IP } from '../net/ip.ts';
import { reject, type Rejection } from './reasons.ts';

export type FamilyNeed = {
  /** Families to allocate, primary first. */
  readonly wanted: readonly Family[];
  /** true: every wanted family is required; false (PreferDualStack): at least one. */
  readonly all: boolean;
};

export function familyNeed(svc: Pick<ServiceInput, 'families' | 'ipFamilyPolicy'>): Result<FamilyNeed, Rejection> {
  const [primary, secondary, extra] = svc.families;
  if (primary === undefined || extra !== undefined || primary === secondary) {
    return err(reject('invalid-request', `families [${svc.families.join(', ')}] must be one family or two different ones`));
  }
  if (secondary === undefined) return ok({ wanted: [primary], all: true });
  switch (svc.ipFamilyPolicy) {
    case 'SingleStack':
      return ok({ wanted: [primary], all: true });
    case 'PreferDualStack':
      return ok({ wanted: [primary, secondary], all: false });
    case 'RequireDualStack':
      return ok({ wanted: [primary, secondary], all: true });
    default:
      return assertNever(svc.ipFamilyPolicy);
  }
}

export const describeNeed = (need: FamilyNeed): string =>
  need.wanted.length === 1 ? need.wanted.join('') : need.wanted.join(need.all ? ' and ' : ' or ');

/** Checks a set of IPs (requested or currently held) against what the Service may hold. */
export function checkIPFamilies(need: FamilyNeed, ips: readonly IP[]): Rejection | null {
  if (ips.length === 0 || ips.length > 2) {
    return reject('invalid-request', `${ips.length} IPs given; a Service holds one IP, or one per family`);
  }
  const fams = ips.map(ipFamily);
  if (fams[0] === fams[1]) return reject('invalid-request', `${ips.join(' and ')} are of the same family`);
  for (const [i, ip] of ips.entries()) {
    if (!need.wanted.includes(fams[i] as Family)) {
      return reject('family-mismatch', `${ip} is ${fams[i]}, but the Service takes ${describeNeed(need)}`);
    }
  }
  if (need.all && ips.length !== need.wanted.length) {
    return reject('family-mismatch', `[${ips.join(', ')}] does not cover ${describeNeed(need)}, which the Service requires`);
  }
  return null;
}

/** Orders IPs primary family first. */
export const orderByFamily = (ips: readonly IP[], need: FamilyNeed): IP[] =>
  [...ips].sort((a, b) => need.wanted.indexOf(ipFamily(a)) - need.wanted.indexOf(ipFamily(b)));
