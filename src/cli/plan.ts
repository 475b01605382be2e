// `barelb plan -f PATH... [-o table|json]`: validate manifests, allocate, print the outcome.

import { parseInput } from '../api/input.ts';
import { planAllocations } from '../ipam/plan.ts';
import { summarizeBGP } from '../speaker/bgp/summary.ts';
import { summarizeL2 } from '../speaker/l2/summary.ts';
import { loadManifests } from '../store/manifest-files.ts';
import { allocatedIPs, bgpSnapshot } from './bgp-snapshot.ts';
import type { CliIO } from './io.ts';
import { buildPlanReport, renderPlanTable } from './plan-report.ts';

export type PlanOptions = {
  readonly files: readonly string[];
  readonly output: 'table' | 'json';
  readonly loadBalancerClass: string | null;
};

/** Exit status: 0 valid (pending Services are not errors), 1 invalid manifests. */
export async function runPlan(options: PlanOptions, io: CliIO): Promise<number> {
  const loaded = await loadManifests(options.files);
  const parsed = parseInput(loaded.objects);
  const errors = [...loaded.errors, ...parsed.errors];
  const plan =
    errors.length === 0
      ? planAllocations(parsed.config.pools, parsed.services, { loadBalancerClass: options.loadBalancerClass })
      : null;
  const bgp = plan === null ? new Map() : summarizeBGP(bgpSnapshot(parsed, plan, false));
  const l2 = plan === null ? new Map() : summarizeL2(parsed, allocatedIPs(plan), false);
  const report = buildPlanReport(plan, errors, parsed.warnings, bgp, l2);
  if (options.output === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else io.stdout(renderPlanTable(report));
  return errors.length > 0 ? 1 : 0;
}
