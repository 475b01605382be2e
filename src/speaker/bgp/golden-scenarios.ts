// The golden scenarios of the frr.conf renderer (MetalLB's internal/bgp/frr tests, adapted):
// each renders to src/speaker/bgp/testdata/<name>.golden.conf, which unit tests compare and the
// e2e suite feeds to real FRR.

import type { Result } from '../../core/result.ts';
import { aSnapshot, type SnapshotSpec } from './builders.ts';
import { advertisementScenarios } from './golden-scenarios-ads.ts';
import { sessionScenarios } from './golden-scenarios-sessions.ts';
import type { FrrLogLevel } from './log-level.ts';
import { renderNode, type RenderError } from './render.ts';

export type GoldenScenario = {
  /** kebab-case; the golden file is `<name>.golden.conf`. */
  readonly name: string;
  /** What it shows, and the MetalLB test it adapts. */
  readonly about: string;
  readonly snapshot: SnapshotSpec;
  /** Default "node-1". */
  readonly node?: string;
  /** Default informational. */
  readonly logLevel?: FrrLogLevel;
  readonly extraConfig?: string;
  /** Secret passwords by "namespace/name". */
  readonly secrets?: Readonly<Record<string, string>>;
};

export const goldenDir = new URL('./testdata/', import.meta.url);
export const goldenFile = (s: GoldenScenario): URL => new URL(`${s.name}.golden.conf`, goldenDir);

export function goldenScenarios(): readonly GoldenScenario[] {
  return [...sessionScenarios(), ...advertisementScenarios()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function renderScenario(s: GoldenScenario): Result<string, RenderError> {
  const node = s.node ?? 'node-1';
  return renderNode(aSnapshot(s.snapshot), node, {
    hostname: 'dummyhostname',
    logLevel: s.logLevel ?? 'informational',
    secretPasswords: new Map(Object.entries(s.secrets ?? {})),
    extraConfig: s.extraConfig === undefined ? null : { source: 'extras', text: s.extraConfig },
  });
}
