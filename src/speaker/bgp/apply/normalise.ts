// FRR 10.x's own spelling of a config: drops lines `show running-config` never shows (defaults,
// vtysh-owned lines) and rewrites lines FRR prints differently, so that a rendered file and the
// running config compare equal when FRR runs exactly that file. Rules checked on FRR 10.3 [lab].
import { canonicalCidrText } from '../../../net/cidr.ts';
import { contextKey, parseFrrConfig } from './frr-config.ts';
import type { FrrConfig, FrrContext } from './frr-config.ts';

/** Global lines never compared nor sent incrementally (they stay in the written file). */
const DROPPED_GLOBALS: readonly RegExp[] = [
  /^frr (version|defaults) /, // read at start-up only; frr-reload.py ignores them too
  /^hostname /, // running config shows vtysh's hostname, not the daemons' (frr.md §1.3)
  /^service integrated-vtysh-config$/,
  /^(no )?(ip|ipv6) forwarding$/, // kernel state: FRR prints whatever the namespace has
  /^(ip|ipv6) nht resolve-via-default$/, // the 10.x default: hidden when set, `no …` shown [lab 10.3]
];

/** BFD profile lines equal to bfdd's defaults, which running config hides (frr.md §1.3). */
const BFD_DEFAULTS: ReadonlySet<string> = new Set([
  'receive-interval 300', 'transmit-interval 300', 'detect-multiplier 3',
  'echo receive-interval 50', 'echo transmit-interval 50', 'minimum-ttl 254',
]);

/** Well-known communities (RFC 1997, RFC 7999, RFC 8326, …) that FRR prints by name. */
const WELL_KNOWN_COMMUNITIES: ReadonlyMap<string, string> = new Map([
  ['65535:0', 'graceful-shutdown'], ['65535:1', 'accept-own'], ['65535:666', 'blackhole'],
  ['65535:65281', 'no-export'], ['65535:65282', 'no-advertise'], ['65535:65283', 'local-AS'],
  ['65535:65284', 'no-peer'], ['0:0', 'internet'], ['65535:6', 'llgr-stale'], ['65535:7', 'no-llgr'],
]);

/** Parses and normalises config text: the form plans and comparisons work on. */
export function readConfig(text: string): FrrConfig {
  return normaliseConfig(parseFrrConfig(text));
}

/** Rewrites a parsed config into FRR's canonical spelling; idempotent. */
export function normaliseConfig(config: FrrConfig): FrrConfig {
  const globals = config.globals.filter((l) => !DROPPED_GLOBALS.some((re) => re.test(l))).flatMap(normaliseGlobal);
  const contexts = new Map<string, FrrContext>();
  for (const [key, ctx] of config.contexts) {
    if (ctx.path[0] === 'line vty') continue;
    contexts.set(key, { path: ctx.path, lines: dedupe(normaliseLines(ctx)) });
  }
  for (const [key, ctx] of contexts) {
    if (isDroppableWhenEmpty(ctx) && ctx.lines.length === 0 && !hasChildren(contexts, key)) contexts.delete(key);
  }
  return { globals: dedupe(globals), contexts };
}

function normaliseLines(ctx: FrrContext): string[] {
  const perLine = lineNormaliser(ctx.path);
  if (perLine !== null) return ctx.lines.map(perLine);
  return ctx.path[0]?.startsWith('router bgp ') === true ? normaliseRouterLines(ctx.lines) : ctx.lines.flatMap(normaliseBfdLine);
}

const same = (line: string): string => line;

/**
 * How the body lines of a context are rewritten when that is line by line (then a context's
 * normalised lines are its lines, each rewritten, without duplicates); null where it is not
 * (a router's own lines, BFD profiles) or the context is dropped (`line vty`).
 */
export function lineNormaliser(path: readonly string[]): ((line: string) => string) | null {
  const [top, sub] = path;
  if (top === 'line vty') return null;
  if (top?.startsWith('router bgp ') === true && sub === undefined) return null;
  if (sub?.startsWith('address-family ') === true) return normaliseNetwork;
  if (top === 'bfd' && sub !== undefined) return null;
  if (top?.startsWith('route-map ') === true) return normaliseRouteMapLine;
  return same;
}

function normaliseRouterLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (/^neighbor \S+ port 179$/.test(line)) continue; // the default port is never shown
    // 10.0.4+/10.3 print a bare ebgp-multihop for 255 (frr.md §1.3, FRR#14242).
    const multihop = /^(neighbor \S+ ebgp-multihop) 255$/.exec(line);
    const normal = multihop?.[1] ?? line;
    // A BFD profile implies `neighbor X bfd`, and running config prints both.
    const profile = /^(neighbor \S+ bfd) profile \S+$/.exec(normal);
    if (profile?.[1] !== undefined && !out.includes(profile[1])) out.push(profile[1]);
    out.push(normal);
  }
  return out;
}

/**
 * `network P …` with host bits cleared, as bgpd stores it. A line that is canonical already is
 * returned itself: a config of 10 000 prefixes otherwise kept a copy of each line.
 */
function normaliseNetwork(line: string): string {
  if (!line.startsWith('network ')) return line;
  const end = line.indexOf(' ', 8);
  const prefix = end < 0 ? line.slice(8) : line.slice(8, end);
  const canonical = canonicalPrefix(prefix);
  return canonical === prefix ? line : ['network ', canonical, end < 0 ? '' : line.slice(end)].join('');
}

function normaliseGlobal(line: string): string[] {
  if (line.startsWith('ip')) return [normalisePrefixListEntry(line)];
  // `debugging` is the default level of a log target: running config prints the target bare [lab 10.3].
  const log = /^(log (?:stdout|syslog|file \S+)) debugging$/.exec(line);
  if (log?.[1] !== undefined) return [log[1]];
  // Both directions at once; running config prints them as two lines [lab 10.3].
  if (line === 'debug bgp updates') return ['debug bgp updates in', 'debug bgp updates out'];
  return [line];
}

function normalisePrefixListEntry(line: string): string {
  const m = /^((?:ip|ipv6) prefix-list \S+ (?:seq \d+ )?(?:permit|deny) )(\S+)(.*)$/.exec(line);
  if (m?.[2] === undefined || m[2] === 'any') return line;
  const canonical = canonicalPrefix(m[2]);
  return canonical === m[2] ? line : [m[1] ?? '', canonical, m[3] ?? ''].join('');
}

function normaliseBfdLine(line: string): string[] {
  const echo = /^echo-interval (\d+)$/.exec(line); // MetalLB's spelling; FRR prints the two halves
  const lines = echo?.[1] === undefined ? [line] : [`echo receive-interval ${echo[1]}`, `echo transmit-interval ${echo[1]}`];
  return lines.filter((l) => !BFD_DEFAULTS.has(l));
}

function normaliseRouteMapLine(line: string): string {
  if (!line.startsWith('set community ')) return line;
  return line.split(' ').map((word) => WELL_KNOWN_COMMUNITIES.get(word) ?? word).join(' ');
}

/** Canonical prefix text (host bits cleared); other text as it is. */
const canonicalPrefix = (text: string): string => canonicalCidrText(text) ?? text;

function isDroppableWhenEmpty(ctx: FrrContext): boolean {
  return (ctx.path.length === 2 && (ctx.path[1] ?? '').startsWith('address-family ')) || contextKey(ctx.path) === 'bfd';
}

function hasChildren(contexts: ReadonlyMap<string, FrrContext>, key: string): boolean {
  const prefix = `${key}\n`;
  for (const k of contexts.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

/** Removes duplicates that rewriting created (parsed lines are unique already). */
function dedupe(lines: readonly string[]): string[] {
  const unique = new Set(lines);
  return unique.size === lines.length ? [...lines] : [...unique];
}

/** Global lines the running system owns: frr-reload.py must find them unchanged in its input. */
const RUNNING_OWNED = /^(hostname \S+|(no )?(ip|ipv6) forwarding)$/;

/**
 * The text handed to frr-reload.py: the desired file with the hostname and forwarding lines of the
 * running config, which it would otherwise "fix" (deleting `no ip forwarding` turns forwarding
 * on, frr.md §1.3). The file written to disk stays the desired text.
 */
export function textForReload(desiredText: string, runningText: string): string {
  const owned = runningText.split('\n').map((l) => l.trimEnd()).filter((l) => RUNNING_OWNED.test(l));
  const kept = desiredText.split('\n').filter((l) => !RUNNING_OWNED.test(l.trimEnd()));
  const head = kept.findIndex((l) => !l.startsWith('frr '));
  const at = head < 0 ? kept.length : head;
  return [...kept.slice(0, at), ...owned, ...kept.slice(at)].join('\n');
}
