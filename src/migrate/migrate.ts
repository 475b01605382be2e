// migrate: MetalLB manifests in (decoded YAML documents), barelb manifests and a report out.
// Pure and total: never throws, keeps the input order, and is a no-op on its own output.

import { isRecord, show, type WireRecord } from '../api/wire.ts';
import { classify, type Classified } from './classify.ts';
import { convertCustomResource, type SecretRef } from './custom-resources.ts';
import { convertLegacyConfig } from './legacy-config.ts';
import { convertAddressPool, type LegacyContext } from './legacy-pools.ts';
import { newNameBook, reserve, type NameBook } from './names.ts';
import { note, severityOf, sortNotes, type MigrationNote, type Notes } from './notes.ts';
import { copyRecord, freshMetadata, type Head } from './objects.ts';
import { migrateService } from './services.ts';

export const defaultTargetNamespace = 'barelb-system';

export type MigrateOptions = {
  /** Where MetalLB's configuration objects (and the Secrets their peers use) go; null: barelb-system. */
  readonly namespace: string | null;
};

/** How each input object ended up; counts of input objects (a List counts by its items). */
export type MigrationSummary = {
  readonly targetNamespace: string;
  readonly converted: number;
  readonly rewritten: number;
  readonly passedThrough: number;
  readonly leftOut: number;
  readonly outputObjects: number;
};

export type MigrationResult = {
  readonly objects: readonly Record<string, unknown>[];
  /** Left-out notes first; see notes.ts. */
  readonly notes: readonly MigrationNote[];
  readonly summary: MigrationSummary;
  /** True when some note is `left-out`: the output does not carry everything over. */
  readonly incomplete: boolean;
};

type Item = { readonly o: WireRecord; readonly head: Head; readonly what: Classified };
type Outcome = 'converted' | 'rewritten' | 'passed' | 'left-out';
type Slot = { readonly outcome: Outcome; readonly objects: readonly Record<string, unknown>[] };

/** Unwraps `kind: List` documents (as `kubectl get -o yaml` writes them); non-objects are reported. */
function flatten(docs: readonly unknown[], notes: Notes, depth = 0): WireRecord[] {
  const out: WireRecord[] = [];
  for (const d of docs) {
    if (d === null || d === undefined) continue;
    if (!isRecord(d)) note(notes, 'unsupported-object', '(document)', '', `${show(d)} is not a Kubernetes object; left out`);
    else if (typeof d['kind'] === 'string' && d['kind'].endsWith('List') && Array.isArray(d['items']) && depth < 8) out.push(...flatten(d['items'], notes, depth + 1));
    else out.push(d);
  }
  return out;
}

/** Names already taken by configuration objects, so generated names never collide with them. */
function reserveNames(items: readonly Item[]): NameBook {
  const book = newNameBook();
  for (const { head, what } of items) {
    if (head.name === '') continue;
    if (what.kind === 'custom-resource' || what.kind === 'barelb') reserve(book, head.kind, head.name);
    if (what.kind === 'address-pool') reserve(book, 'IPAddressPool', head.name);
  }
  return book;
}

type Pass = { readonly target: string; readonly names: NameBook; readonly notes: Notes; readonly secrets: SecretRef[]; readonly poolRenames: Map<string, string> };

const context = (item: Item, pass: Pass): LegacyContext => ({ ref: item.head.ref, namespace: pass.target, names: pass.names, notes: pass.notes });

function countKinds(objects: readonly Record<string, unknown>[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(String(o['kind']), (counts.get(String(o['kind'])) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** First pass: everything but Services and Secrets, which depend on what the others found. */
function convert(item: Item, pass: Pass): Slot | null {
  const { o, head, what } = item;
  switch (what.kind) {
    case 'custom-resource': {
      const c = convertCustomResource(o, head, pass.target, pass.notes);
      if (c.secret !== null) pass.secrets.push(c.secret);
      return { outcome: 'converted', objects: [c.object] };
    }
    case 'address-pool':
      return { outcome: 'converted', objects: convertAddressPool(o['spec'], freshMetadata(o, pass.target, head.ref, pass.notes), head.name, context(item, pass)) };
    case 'legacy': {
      const c = convertLegacyConfig(what.config, 'data.config', context(item, pass));
      for (const [from, to] of c.poolRenames) pass.poolRenames.set(from, to);
      note(pass.notes, 'legacy-converted', head.ref, 'data.config', `the legacy configuration is written as ${countKinds(c.objects) || 'nothing'} in namespace ${pass.target}; the ConfigMap itself is not written`);
      return { outcome: 'converted', objects: c.objects };
    }
    case 'legacy-unreadable':
      note(pass.notes, 'legacy-unreadable', head.ref, 'data.config', `${what.why}; nothing converted, the ConfigMap is passed through unchanged`);
      return { outcome: 'passed', objects: [copyRecord(o)] };
    case 'runtime':
      note(pass.notes, 'runtime-object-dropped', head.ref, '', `written by MetalLB's ${head.kind === 'ConfigurationState' ? 'controller and speakers' : 'speakers'} at run time; barelb keeps its own; dropped`);
      return { outcome: 'left-out', objects: [] };
    case 'unsupported':
      note(pass.notes, 'unsupported-object', head.ref, 'apiVersion', `${what.why}; left out`);
      return { outcome: 'left-out', objects: [] };
    case 'other':
      if (what.note !== null) note(pass.notes, 'no-equivalent', head.ref, '', what.note);
      return { outcome: 'passed', objects: [copyRecord(o)] };
    case 'barelb':
      return { outcome: 'passed', objects: [copyRecord(o)] };
    case 'service':
    case 'secret':
      return null;
  }
}

/** Moves each Secret a converted BGPPeer uses into the target namespace, once. */
function moveSecrets(items: readonly Item[], pass: Pass): Map<Item, Record<string, unknown>> {
  const moved = new Map<Item, Record<string, unknown>>();
  const secrets = items.filter((i) => i.what.kind === 'secret');
  const find = (ns: string, name: string): Item | undefined => secrets.find((s) => s.head.namespace === ns && s.head.name === name);
  for (const ref of pass.secrets) {
    if (ref.namespace === pass.target || find(pass.target, ref.name) !== undefined) continue;
    const secret = find(ref.namespace, ref.name);
    if (secret === undefined) {
      const where = ref.namespace === '' ? ref.name : `${ref.namespace}/${ref.name}`;
      note(pass.notes, 'secret-not-found', ref.peer, 'spec.passwordSecret', `the Secret ${show(where)} is not among the inputs; export it too (it moves to ${pass.target} with the peer)`);
      continue;
    }
    if (moved.has(secret)) continue;
    moved.set(secret, { ...copyRecord(secret.o), metadata: freshMetadata(secret.o, pass.target, secret.head.ref, pass.notes) });
    note(pass.notes, 'secret-moved', secret.head.ref, 'metadata.namespace', `moved to ${pass.target} with ${ref.peer}, whose passwordSecret names it`);
  }
  return moved;
}

export function migrate(docs: readonly unknown[], options: MigrateOptions): MigrationResult {
  const notes: Notes = [];
  const items: Item[] = flatten(Array.isArray(docs) ? docs : [docs], notes).map((o) => ({ o, ...classify(o) }));
  const pass: Pass = { target: options.namespace ?? defaultTargetNamespace, names: reserveNames(items), notes, secrets: [], poolRenames: new Map() };
  const slots = new Map<Item, Slot>();
  for (const item of items) {
    const slot = convert(item, pass);
    if (slot !== null) slots.set(item, slot);
  }
  const moved = moveSecrets(items, pass);
  for (const item of items) {
    if (slots.has(item)) continue;
    const changed = item.what.kind === 'service' ? migrateService(item.o, item.head, pass.poolRenames, notes) : (moved.get(item) ?? null);
    slots.set(item, changed === null ? { outcome: 'passed', objects: [copyRecord(item.o)] } : { outcome: 'rewritten', objects: [changed] });
  }
  const ordered = items.map((i) => slots.get(i) ?? { outcome: 'passed' as const, objects: [] });
  const count = (outcome: Outcome): number => ordered.filter((s) => s.outcome === outcome).length;
  const objects = ordered.flatMap((s) => s.objects);
  const sorted = sortNotes(notes);
  return {
    objects,
    notes: sorted,
    summary: {
      targetNamespace: pass.target,
      converted: count('converted'),
      rewritten: count('rewritten'),
      passedThrough: count('passed'),
      leftOut: count('left-out') + notes.filter((n) => n.object === '(document)').length,
      outputObjects: objects.length,
    },
    incomplete: sorted.some((n) => severityOf(n.code) === 'left-out'),
  };
}
