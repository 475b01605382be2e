// Parses frr.conf text (a rendered file or `show running-config`) into the context model that
// frr-reload.py uses: top-level single lines, and contexts keyed by their path of context lines.
// Textual only (whitespace collapsed, comments dropped); FRR-specific equivalences live in normalise.ts.

export interface FrrContext {
  /** Context lines from the top, e.g. `['router bgp 64512', 'address-family ipv4 unicast']`. */
  readonly path: readonly string[];
  /** Body lines in first-seen order, whitespace collapsed, without duplicates or sub-contexts. */
  readonly lines: readonly string[];
}

export interface FrrConfig {
  /** Top-level single lines (prefix-lists, `log …`, …) in first-seen order, without duplicates. */
  readonly globals: readonly string[];
  /** Contexts by `contextKey(path)` in first-seen order; a parent always precedes its children. */
  readonly contexts: ReadonlyMap<string, FrrContext>;
}

export const contextKey = (path: readonly string[]): string => path.join('\n');

/** Top-level lines that open a context. */
const TOP_CONTEXTS: readonly RegExp[] = [
  /^router /, /^route-map /, /^bfd$/, /^interface /, /^vrf /, /^line vty$/, /^key chain /,
  /^segment-routing$/, /^mpls ldp$/, /^rpki$/, /^pbr-map /, /^nexthop-group /, /^control-plane$/,
];

/** Sub-context openers, by the top-level context they live in (depth 2 at most). */
const SUB_CONTEXTS: readonly { readonly parent: RegExp; readonly child: RegExp }[] = [
  { parent: /^router bgp /, child: /^address-family / },
  { parent: /^bfd$/, child: /^(profile|peer) / },
  { parent: /^key chain /, child: /^key \d+$/ },
  { parent: /^interface /, child: /^link-params$/ },
];

/**
 * Global commands. An unindented one closes any open context (MetalLB's template has no `exit`
 * after route-map entries); an indented line always belongs to the open context (`ip route` in a vrf).
 */
const TOP_SINGLES: readonly RegExp[] = [
  /^(ip|ipv6) prefix-list /, /^bgp (community-list|large-community-list|extcommunity-list|as-path) /,
  /^bgp route-map delay-timer /, /^(no )?(ip|ipv6) (forwarding|nht) ?/, /^log /, /^hostname /, /^frr /,
  /^service /, /^(no )?debug /, /^(ip|ipv6) route /, /^agentx$/, /^(enable )?password /, /^(ip|ipv6) protocol /,
  /^(ipv6 )?access-list /,
];

/** Lines of `show running-config` that are not configuration. */
const NOISE: readonly RegExp[] = [/^Building configuration\.\.\.$/, /^Current configuration:$/];

interface Builder {
  readonly globals: string[];
  readonly seenGlobals: Set<string>;
  readonly contexts: Map<string, { path: readonly string[]; lines: string[]; seen: Set<string> }>;
}

/** A raw line as the parser reads it: trimmed, whitespace collapsed; null for blank lines, comments and noise. */
export function cleanLine(raw: string): string | null {
  const trimmed = raw.trim();
  const line = trimmed.includes('  ') || trimmed.includes('\t') ? trimmed.replace(/\s+/g, ' ') : trimmed;
  if (line === '' || line.startsWith('!') || line.startsWith('#') || NOISE.some((re) => re.test(line))) return null;
  return line;
}

/** Whether a raw line starts with whitespace (or another control character). */
export const isIndented = (raw: string): boolean => raw !== '' && raw.charCodeAt(0) <= 32;

/** What a (clean) line does, given the open contexts: only `body` adds to the open context. */
export type LineAction = 'end' | 'exit-address-family' | 'exit' | 'open' | 'open-sub' | 'global' | 'body';

export function lineAction(stack: readonly string[], line: string, indented: boolean): LineAction {
  if (line === 'end') return 'end';
  if (line === 'exit-address-family') return 'exit-address-family';
  if (line === 'exit' || line === 'exit-vrf') return 'exit';
  if (TOP_CONTEXTS.some((re) => re.test(line))) return 'open';
  const top = stack[0];
  if (top !== undefined && SUB_CONTEXTS.some((s) => s.parent.test(top) && s.child.test(line))) return 'open-sub';
  if (top === undefined || (!indented && TOP_SINGLES.some((re) => re.test(line)))) return 'global';
  return 'body';
}

/** Parses config text; total: every line lands somewhere, unknown lines are kept verbatim. */
export function parseFrrConfig(text: string): FrrConfig {
  return parseLines(text.split(/\r?\n/), null);
}

/** How each raw line was read (index = line number - 1): for a reader that re-reads only what changed. */
export type ParseTrace = {
  /** cleanLine of each line. */
  readonly cleaned: (string | null)[];
  /** null for skipped lines. */
  readonly actions: (LineAction | null)[];
  /** The open contexts after each line; the same array for the body lines of one block. */
  readonly stacks: (readonly string[])[];
};

/** parseFrrConfig of the lines of a text, recording how each line was read. */
export function traceFrrConfig(lines: readonly string[]): { readonly config: FrrConfig; readonly trace: ParseTrace } {
  const trace: ParseTrace = { cleaned: [], actions: [], stacks: [] };
  return { config: parseLines(lines, trace), trace };
}

function parseLines(lines: readonly string[], trace: ParseTrace | null): FrrConfig {
  const b: Builder = { globals: [], seenGlobals: new Set(), contexts: new Map() };
  let stack: readonly string[] = [];
  for (const raw of lines) {
    const line = cleanLine(raw);
    const action = line === null ? null : lineAction(stack, line, isIndented(raw));
    if (line !== null && action !== null) stack = step(b, stack, line, action);
    if (trace !== null) {
      trace.cleaned.push(line);
      trace.actions.push(action);
      trace.stacks.push(stack);
    }
  }
  return {
    globals: b.globals,
    contexts: new Map([...b.contexts].map(([key, c]) => [key, { path: c.path, lines: c.lines }])),
  };
}

/** Consumes one line; returns the context stack after it. */
function step(b: Builder, stack: readonly string[], line: string, action: LineAction): readonly string[] {
  switch (action) {
    case 'end': return [];
    case 'exit-address-family': return isAddressFamily(stack) ? stack.slice(0, -1) : stack;
    case 'exit': return stack.slice(0, -1);
    case 'open': return open(b, [line]);
    case 'open-sub': return open(b, [stack[0] ?? '', line]);
    case 'global':
      addGlobal(b, line);
      return [];
    case 'body':
      addLine(b, stack, line);
      return stack;
  }
}

function isAddressFamily(stack: readonly string[]): boolean {
  return stack.length === 2 && (stack[1] ?? '').startsWith('address-family ');
}

function open(b: Builder, path: string[]): string[] {
  const key = contextKey(path);
  if (!b.contexts.has(key)) {
    if (path.length === 2 && path[0] !== undefined) open(b, [path[0]]);
    b.contexts.set(key, { path, lines: [], seen: new Set() });
  }
  return path;
}

function addGlobal(b: Builder, line: string): void {
  if (b.seenGlobals.has(line)) return;
  b.seenGlobals.add(line);
  b.globals.push(line);
}

function addLine(b: Builder, stack: readonly string[], line: string): void {
  const ctx = b.contexts.get(contextKey(stack));
  if (ctx === undefined) throw new Error(`frr-config: line outside an opened context: ${line}`);
  if (ctx.seen.has(line)) return;
  ctx.seen.add(line);
  ctx.lines.push(line);
}

/** The direct sub-contexts of `parent` (address-families of a router, profiles of `bfd`). */
export function childrenOf(config: FrrConfig, parent: FrrContext): FrrContext[] {
  const prefix = `${contextKey(parent.path)}\n`;
  return [...config.contexts.values()].filter((c) => c.path.length === parent.path.length + 1 && contextKey(c.path).startsWith(prefix));
}

/** Prints a config as FRR-style text with `exit` markers (for logs, tests and full reloads). */
export function printFrrConfig(config: FrrConfig): string {
  const out: string[] = [...config.globals];
  for (const ctx of config.contexts.values()) {
    if (ctx.path.length !== 1) continue;
    out.push(...printContext(ctx, ''));
    for (const child of childrenOf(config, ctx)) out.push(...printContext(child, ' '));
    out.push('exit');
  }
  return `${out.join('\n')}\n`;
}

function printContext(ctx: FrrContext, indent: string): string[] {
  const head = ctx.path[ctx.path.length - 1] ?? '';
  const body = ctx.lines.map((l) => `${indent} ${l}`);
  if (ctx.path.length === 1) return [`${indent}${head}`, ...body];
  return [`${indent}${head}`, ...body, `${indent}${isAddressFamily(ctx.path) ? 'exit-address-family' : 'exit'}`];
}
