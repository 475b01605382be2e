// What one config line means to FRR when it changes: its slot (lines sharing a slot overwrite each
// other, so a change is sent as the new line alone), whether the change resets BGP sessions or
// needs a full reload, and the command that removes it. Sources: frr.md §2 and [lab 10.3] probes.
import type { FrrContext } from './frr-config.ts';

export const CHANGE_CLASSES = ['incremental', 'resets-session', 'full-reload'] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

export const CONTEXT_KINDS = ['global', 'router', 'address-family', 'route-map', 'bfd-profile', 'other'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

export interface LineInfo {
  /** Lines with equal slots overwrite each other in FRR (`timers 1 3` replaces `timers 3 9`). */
  readonly slot: string;
  /** What adding or changing the line costs. */
  readonly onAdd: ChangeClass;
  /** What removing it costs. */
  readonly onRemove: ChangeClass;
  /** Why, for logs and the plan's change list. */
  readonly why: string;
}

interface Rule {
  readonly match: RegExp;
  /** Number of leading words that form the slot; default: the whole line. */
  readonly slotWords?: number;
  /** Slot built from match groups (e.g. keeps the direction of `route-map X in`). */
  readonly slot?: (m: RegExpExecArray) => string;
  readonly onAdd?: ChangeClass;
  readonly onRemove?: ChangeClass;
  readonly why: string;
}

const RESET = 'resets-session';

/** Rules for `router bgp` body lines; `P` is the neighbor. First match wins. */
const ROUTER_RULES: readonly Rule[] = [
  { match: /^bgp router-id /, slotWords: 2, onAdd: 'full-reload', onRemove: 'full-reload', why: 'router-id: every session of the instance resets' },
  { match: /^neighbor (\S+) (interface )?remote-as /, slot: (m) => `neighbor ${m[1]} remote-as`, onAdd: RESET, why: 'remote-as change resets the session [lab 10.3]' },
  { match: /^neighbor \S+ timers connect /, slotWords: 4, why: 'connect timer: live' },
  { match: /^neighbor \S+ timers /, slotWords: 3, why: 'timers: live, negotiated at the next session (frr.md §2.1)' },
  { match: /^neighbor \S+ password /, slotWords: 3, onAdd: RESET, onRemove: RESET, why: 'TCP-MD5 key changes on the socket' },
  { match: /^neighbor \S+ update-source /, slotWords: 3, onAdd: RESET, onRemove: RESET, why: 'update-source resets [lab 10.3]' },
  { match: /^neighbor \S+ ebgp-multihop( |$)/, slotWords: 3, onAdd: RESET, onRemove: RESET, why: 'multihop resets (and moves BFD to multihop)' },
  { match: /^neighbor \S+ ttl-security /, slotWords: 3, onAdd: RESET, onRemove: RESET, why: 'ttl-security resets' },
  { match: /^neighbor \S+ local-as /, slotWords: 3, onAdd: RESET, onRemove: RESET, why: 'local-as resets [lab 10.3]' },
  { match: /^neighbor \S+ port /, slotWords: 3, why: 'port: no reset; used from the next connection [lab 10.3]' },
  { match: /^neighbor \S+ description /, slotWords: 3, why: 'description: live' },
  { match: /^neighbor \S+ bfd profile /, slotWords: 4, why: 'BFD profile swap: live [lab 10.3]' },
  { match: /^neighbor \S+ bfd$/, onRemove: RESET, why: 'BFD off: the peer may tear the session down (frr.md §2.2)' },
  { match: /^neighbor (\S+) graceful-restart/, slot: (m) => `neighbor ${m[1]} graceful-restart-mode`, onAdd: RESET, onRemove: RESET, why: 'GR mode: resets since 10.2 [lab 10.3]' },
  { match: /^neighbor \S+ (disable-connected-check|shutdown|passive|capability extended-nexthop)$/, onAdd: RESET, onRemove: RESET, why: 'flag that resets the session (bgpd peer_flag_action_list)' },
  { match: /^bgp graceful-restart$/, onAdd: RESET, onRemove: RESET, why: 'global GR toggle resets every session [lab 10.3]' },
  { match: /^bgp graceful-restart (restart-time|stalepath-time|select-defer-time) /, slotWords: 3, why: 'GR timers: sent at the next OPEN' },
];

const AF_RULES: readonly Rule[] = [
  { match: /^network (\S+)/, slot: (m) => `network ${m[1]}`, why: 'network: live add/withdraw' },
  { match: /^neighbor \S+ activate$/, onAdd: RESET, onRemove: RESET, why: 'AF activation renegotiates capabilities' },
  { match: /^neighbor (\S+) (route-map|prefix-list|filter-list|distribute-list) \S+ (in|out)$/, slot: (m) => `neighbor ${m[1]} ${m[2]} ${m[3]}`, why: 'policy attachment: bgpd recomputes updates' },
  { match: /^neighbor \S+ (allowas-in|maximum-prefix|weight|default-originate)( |$)/, slotWords: 3, why: 'neighbor AF option: live' },
];

const ROUTE_MAP_RULES: readonly Rule[] = [
  { match: /^set ipv6 next-hop /, slotWords: 4, why: 'route-map set: replaces the previous value' },
  { match: /^(match|set) (ip|ipv6) /, slotWords: 3, why: 'route-map match/set: replaces the previous value' },
  { match: /^(match|set|on-match|call|continue|description) /, slotWords: 2, why: 'route-map clause: replaces the previous value' },
];

const BFD_PROFILE_RULES: readonly Rule[] = [
  { match: /^echo (receive|transmit)-interval /, slotWords: 2, why: 'BFD timers renegotiate in place' },
  { match: /^(receive-interval|transmit-interval|detect-multiplier|minimum-ttl) /, slotWords: 1, why: 'BFD timers renegotiate in place' },
];

const GLOBAL_RULES: readonly Rule[] = [
  { match: /^((?:ip|ipv6) prefix-list \S+ seq \d+) /, slot: (m) => m[1] ?? '', why: 'prefix-list entry: the same seq overwrites [lab 10.3]' },
  { match: /^(bgp (?:large-|ext)?community-list (?:standard |expanded )?\S+ seq \d+) /, slot: (m) => m[1] ?? '', why: 'community-list entry' },
  { match: /^log (stdout|syslog|file|timestamp precision)( |$)/, slot: (m) => `log ${m[1]}`, why: 'logging: live' },
  { match: /^bgp route-map delay-timer /, slotWords: 3, why: 'route-map delay timer: live' },
];

const RULES: Readonly<Record<ContextKind, readonly Rule[]>> = {
  global: GLOBAL_RULES,
  router: ROUTER_RULES,
  'address-family': AF_RULES,
  'route-map': ROUTE_MAP_RULES,
  'bfd-profile': BFD_PROFILE_RULES,
  other: [],
};

/** Which rule table applies to the body lines of `ctx` (or to globals when `ctx` is undefined). */
export function contextKind(ctx: Pick<FrrContext, 'path'> | undefined): ContextKind {
  if (ctx === undefined || ctx.path.length === 0) return 'global';
  const [top, sub] = ctx.path;
  if (top?.startsWith('router bgp ') === true) return sub === undefined ? 'router' : 'address-family';
  if (top?.startsWith('route-map ') === true) return 'route-map';
  if (top === 'bfd' && sub?.startsWith('profile ') === true) return 'bfd-profile';
  return 'other';
}

/** Slot and cost of one line; a `no X` line shares X's slot (toggles overwrite each other). */
export function describeLine(kind: ContextKind, line: string): LineInfo {
  const positive = line.startsWith('no ') ? line.slice(3) : line;
  for (const rule of RULES[kind]) {
    const m = rule.match.exec(positive);
    if (m === null) continue;
    const slot = rule.slot?.(m) ?? (rule.slotWords === undefined ? positive : positive.split(' ').slice(0, rule.slotWords).join(' '));
    return { slot, onAdd: rule.onAdd ?? 'incremental', onRemove: rule.onRemove ?? 'incremental', why: rule.why };
  }
  return { slot: positive, onAdd: 'incremental', onRemove: 'incremental', why: 'live change' };
}

/** The command that undoes `line`: `no X` for X, and X for `no X`. */
export function undoLine(line: string): string {
  return line.startsWith('no ') ? line.slice(3) : `no ${line}`;
}

/** The most expensive of some classes. */
export function worstClass(classes: Iterable<ChangeClass>): ChangeClass {
  let worst = 0;
  for (const c of classes) worst = Math.max(worst, CHANGE_CLASSES.indexOf(c));
  return CHANGE_CLASSES[worst] ?? 'incremental';
}
