// Local mode's record of the controller's decisions (the equivalent of Service status in a
// cluster): DIR/.barelb/state.json, written atomically so a crash never leaves half a file.

import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceKey } from '../api/model.ts';
import type { Allocation, Allocations } from '../controller/reconcile.ts';
import { parseIP, type IP } from '../net/ip.ts';
import type { AllocationPlan } from '../ipam/plan.ts';

export const stateDirName = '.barelb';
export const stateFileName = 'state.json';

export type PendingRecord = { readonly reason: string; readonly message: string };

export type LocalState = {
  readonly allocations: Allocations;
  readonly pending: ReadonlyMap<ServiceKey, PendingRecord>;
};

type StateJson = {
  version: 1;
  services: Record<string, { ips: string[]; pool: string }>;
  pending: Record<string, PendingRecord>;
  pools: Record<string, Record<string, string>>;
};

export const statePath = (dir: string): string => join(dir, stateDirName, stateFileName);

export const emptyState = (): LocalState => ({ allocations: new Map(), pending: new Map() });

function decodeAllocation(raw: unknown): Allocation | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as { ips?: unknown; pool?: unknown };
  if (!Array.isArray(r.ips) || typeof r.pool !== 'string') return null;
  const ips: IP[] = [];
  for (const text of r.ips) {
    const ip = typeof text === 'string' ? parseIP(text) : null;
    if (ip === null || !ip.ok) return null;
    ips.push(ip.value);
  }
  return { ips, pool: r.pool };
}

/** Reads the state; a missing file is an empty state, a corrupt one an error (never silently empty). */
export async function readState(dir: string): Promise<LocalState> {
  let text: string;
  try {
    text = await readFile(statePath(dir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw e;
  }
  const json = JSON.parse(text) as Partial<StateJson>;
  if (json.version !== 1) throw new Error(`${statePath(dir)}: unsupported state version ${String(json.version)}`);
  const allocations = new Map<ServiceKey, Allocation>();
  for (const [key, raw] of Object.entries(json.services ?? {})) {
    const a = decodeAllocation(raw);
    if (a === null) throw new Error(`${statePath(dir)}: services["${key}"] is malformed`);
    allocations.set(key as ServiceKey, a);
  }
  const pending = new Map(Object.entries(json.pending ?? {}).map(([k, v]) => [k as ServiceKey, v]));
  return { allocations, pending };
}

export function encodeState(plan: AllocationPlan, allocations: Allocations): string {
  const json: StateJson = { version: 1, services: {}, pending: {}, pools: {} };
  for (const [key, a] of [...allocations].sort(([x], [y]) => (x < y ? -1 : 1))) json.services[key] = { ips: [...a.ips], pool: a.pool };
  for (const d of plan.services) if (d.state === 'pending') json.pending[d.key] = { reason: d.reason, message: d.message };
  for (const p of plan.pools) {
    json.pools[p.name] = {
      assignedIPv4: p.assignedIPv4.toString(), availableIPv4: p.availableIPv4.toString(),
      assignedIPv6: p.assignedIPv6.toString(), availableIPv6: p.availableIPv6.toString(),
    };
  }
  return JSON.stringify(json, null, 2) + '\n';
}

/** Write to a temporary file in the same directory, then rename: readers see the old or the new file, whole. */
export async function writeState(dir: string, text: string): Promise<void> {
  const d = join(dir, stateDirName);
  await mkdir(d, { recursive: true });
  const tmp = join(d, `.${stateFileName}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, statePath(dir));
}
