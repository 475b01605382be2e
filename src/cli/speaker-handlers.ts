// Which protocol handlers a speaker runs, built from its command-line options. Each protocol
// adds its own options type and factory here; the speaker loop only sees ProtocolHandlers.

import type { Registry } from 'prom-client';
import type { Logger } from '../log/logger.ts';
import type { ProtocolHandler } from '../speaker/loop.ts';

export type HandlerContext = {
  readonly node: string;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly signal: AbortSignal;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
};

export type SpeakerProtocolOptions = {
  readonly bgp: { readonly enabled: false } | { readonly enabled: true; readonly vtysh: readonly string[]; readonly configPath: string | null; readonly hostname: string };
  readonly l2: { readonly enabled: false } | { readonly enabled: true };
};

export type BuiltHandler = ProtocolHandler & { readonly ready: () => boolean };

export async function buildHandlers(_options: SpeakerProtocolOptions, _ctx: HandlerContext): Promise<BuiltHandler[]> {
  const handlers: BuiltHandler[] = [];
  return handlers;
}
