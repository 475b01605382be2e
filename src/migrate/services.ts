// Services: MetalLB's annotations (metallb.io/, and the deprecated metallb.universe.tf/) are
// rewritten to barelb's own names (barelb.io/), which barelb reads first; the rest of the Service
// is untouched.

import { show, isRecord, type WireRecord } from '../api/wire.ts';
import { copy, copyRecord, type Head } from './objects.ts';
import { note, type Notes } from './notes.ts';

/**
 * The annotations barelb reads, by name: three a Service's owner writes, and the pool record the
 * controller writes (barelb's controller reads MetalLB's record when it has none of its own).
 * MetalLB's prefixes in MetalLB's precedence order.
 */
const names = ['loadBalancerIPs', 'address-pool', 'allow-shared-ip', 'ip-allocated-from-pool'] as const;
type Name = (typeof names)[number];
const poolNames: readonly Name[] = ['address-pool', 'ip-allocated-from-pool'];
const metallbPrefixes = ['metallb.io/', 'metallb.universe.tf/'] as const;
const ownPrefix = 'barelb.io/';

const field = (key: string): string => `metadata.annotations[${JSON.stringify(key)}]`;

/** What happens to one annotation key: renamed (at the same place), or dropped. */
type Edit = { readonly kind: 'rename'; readonly key: string; readonly value: unknown } | { readonly kind: 'drop' };

type Plan = { readonly edits: Map<string, Edit>; readonly renamed: string[] };

function planName(ann: WireRecord, name: Name, head: Head, poolRenames: ReadonlyMap<string, string>, notes: Notes, plan: Plan): void {
  const present = metallbPrefixes.map((p) => `${p}${name}`).filter((k) => ann[k] !== undefined);
  const [winner, shadowed] = present;
  if (winner === undefined) return;
  let value = ann[winner];
  if (shadowed !== undefined && ann[shadowed] !== value) {
    note(notes, 'annotation-shadowed', head.ref, field(shadowed), `MetalLB read ${winner} (${show(value)}) and ignored this one (${show(ann[shadowed])}); dropped`);
  }
  if (poolNames.includes(name) && typeof value === 'string' && poolRenames.has(value)) {
    const renamed = poolRenames.get(value) ?? value;
    note(notes, 'name-changed', head.ref, field(winner), `the pool ${show(value)} is written as ${show(renamed)}; the annotation follows`);
    value = renamed;
  }
  const own = `${ownPrefix}${name}`;
  for (const k of present) plan.edits.set(k, { kind: 'drop' });
  if (ann[own] === undefined) {
    plan.edits.set(winner, { kind: 'rename', key: own, value });
    plan.renamed.push(`${winner} -> ${own}`);
  } else if (name === 'ip-allocated-from-pool') {
    note(notes, 'output-annotation-dropped', head.ref, field(winner), `barelb's controller already recorded the pool in ${own}, which it reads first; MetalLB's record dropped`);
  } else if (ann[own] !== value) {
    note(notes, 'annotation-conflict', head.ref, field(winner), `MetalLB used ${show(value)}, but ${own} says ${show(ann[own])} and barelb reads ${own} first; ${own} kept, MetalLB's value left out`);
  }
}

function applyEdits(ann: WireRecord, edits: ReadonlyMap<string, Edit>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => void Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(ann)) {
    const edit = edits.get(key);
    if (edit === undefined) put(key, copy(value));
    else if (edit.kind === 'rename') put(edit.key, copy(edit.value));
  }
  return out;
}

/**
 * The Service with barelb's annotation names, or null when there is nothing to change.
 * A rewritten Service loses resourceVersion and managedFields, so applying it is not
 * refused as a stale update; creationTimestamp and status stay (barelb orders by age and
 * re-claims status.loadBalancer.ingress).
 */
export function migrateService(o: WireRecord, head: Head, poolRenames: ReadonlyMap<string, string>, notes: Notes): Record<string, unknown> | null {
  const meta = o['metadata'];
  const ann = isRecord(meta) && isRecord(meta['annotations']) ? meta['annotations'] : null;
  if (ann === null) return null;
  const plan: Plan = { edits: new Map(), renamed: [] };
  for (const name of names) planName(ann, name, head, poolRenames, notes, plan);
  if (plan.edits.size === 0) return null;
  if (plan.renamed.length > 0) {
    note(notes, 'annotation-renamed', head.ref, 'metadata.annotations', `${plan.renamed.join(', ')} (barelb reads MetalLB's names too, but its own come first)`);
  }
  const out = copyRecord(o);
  const outMeta = copyRecord(isRecord(meta) ? meta : {});
  delete outMeta['resourceVersion'];
  delete outMeta['managedFields'];
  outMeta['annotations'] = applyEdits(ann, plan.edits);
  out['metadata'] = outMeta;
  return out;
}
