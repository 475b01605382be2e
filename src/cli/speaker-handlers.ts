// Which protocol handlers a speaker runs, built from its command-line options. Each protocol
// adds its own options type and factory here; the speaker loop only sees ProtocolHandlers.

import type { Registry } from 'prom-client';
import type { Logger } from '../log/logger.ts';
import type { Announcement } from '../k8s/announcement-status.ts';
import type { ProtocolHandler } from '../speaker/loop.ts';
import type { BgpOptions } from './speaker-bgp.ts';
import type { L2Options } from './speaker-l2.ts';

export type HandlerContext = {
  readonly node: string;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly signal: AbortSignal;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  /** Kubernetes: where each protocol reports the Services it announces (ServiceL2Status/ServiceBGPStatus). */
  readonly announcements?: (protocol: 'l2' | 'bgp', list: readonly Announcement[]) => void;
};

export type SpeakerProtocolOptions = {
  readonly bgp: { readonly enabled: false } | ({ readonly enabled: true } & BgpOptions);
  readonly l2: { readonly enabled: false } | ({ readonly enabled: true } & L2Options);
};

export type BuiltHandler = ProtocolHandler & { readonly ready: () => boolean };

export async function buildHandlers(options: SpeakerProtocolOptions, ctx: HandlerContext): Promise<BuiltHandler[]> {
  const handlers: BuiltHandler[] = [];
  // ---- BGP (FRR): src/cli/speaker-bgp.ts ----
  // Each protocol's code is loaded only when it is on: an L2-only speaker never holds FRR's.
  if (options.bgp.enabled) handlers.push(await (await import('./speaker-bgp.ts')).buildBgpHandler(options.bgp, ctx));
  // ---- Layer 2 (ARP/NDP + heartbeats): src/cli/speaker-l2.ts ----
  if (options.l2.enabled) handlers.push(await (await import('./speaker-l2.ts')).buildL2Handler(options.l2, ctx));
  return handlers;
}
