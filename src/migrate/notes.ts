// What `barelb migrate` reports: one note per thing it left out or carried over differently,
// each naming the input object and field. The codes are a closed set documented in docs/migration.md.

/**
 * `left-out`: something MetalLB used is not in the output (exit status 1: review it).
 * `changed`: carried over, but written differently (informational).
 */
export const severities = ['left-out', 'changed'] as const;
export type Severity = (typeof severities)[number];

/** Every code and its severity, in the order docs/migration.md explains them. */
export const noteCodes = {
  'unknown-field': 'left-out',
  'unsupported-object': 'left-out',
  'legacy-invalid': 'left-out',
  'legacy-unreadable': 'left-out',
  'no-equivalent': 'left-out',
  'secret-not-found': 'left-out',
  'annotation-conflict': 'left-out',
  'peer-v1beta1': 'changed',
  'no-effect-field': 'changed',
  'legacy-converted': 'changed',
  'legacy-default': 'changed',
  'name-changed': 'changed',
  'annotation-renamed': 'changed',
  'annotation-shadowed': 'changed',
  'output-annotation-dropped': 'changed',
  'secret-moved': 'changed',
  'metadata-dropped': 'changed',
  'runtime-object-dropped': 'changed',
} as const satisfies Record<string, Severity>;

export type NoteCode = keyof typeof noteCodes;
export const noteCodeList = Object.keys(noteCodes) as NoteCode[];

export type MigrationNote = {
  readonly code: NoteCode;
  /** The input object, "Kind/namespace/name" (as barelb's errors name objects). */
  readonly object: string;
  /** A JSON path into that object ("spec.peerPort", "data.config.address-pools[0].protocol"); "" = the whole object. */
  readonly field: string;
  readonly message: string;
};

export const severityOf = (code: NoteCode): Severity => noteCodes[code];

/** Collects notes while one input is migrated. */
export type Notes = MigrationNote[];

export function note(notes: Notes, code: NoteCode, object: string, field: string, message: string): void {
  notes.push({ code, object, field, message });
}

/** Left-out notes first, then by object, field, code and message: the report reads top-down by urgency. */
export function sortNotes(notes: readonly MigrationNote[]): MigrationNote[] {
  const rank = (n: MigrationNote): number => severities.indexOf(severityOf(n.code));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...notes].sort((a, b) => rank(a) - rank(b) || cmp(a.object, b.object) || cmp(a.field, b.field) || cmp(a.code, b.code) || cmp(a.message, b.message));
}
