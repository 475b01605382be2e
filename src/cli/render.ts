// `barelb render -f PATH... --node NAME`: the frr.conf the speaker on NAME would give FRR, from
// manifests alone (addresses allocated as `barelb plan` does). Errors go to stderr.

import { readFile } from 'node:fs/promises';
import { parseInput } from '../api/input.ts';
import type { ConfigError } from '../api/model.ts';
import { planAllocations } from '../ipam/plan.ts';
import { frrLogLevelFor, parseFrrLogLevel, type SpeakerLogLevel } from '../speaker/bgp/log-level.ts';
import { renderNode } from '../speaker/bgp/render.ts';
import { secretPasswords } from '../speaker/bgp/secret-passwords.ts';
import type { ExtraConfig } from '../speaker/bgp/extra-config.ts';
import { loadManifests } from '../store/manifest-files.ts';
import { bgpSnapshot } from './bgp-snapshot.ts';
import type { CliIO } from './io.ts';
import { formatTable } from './table.ts';

export type RenderCliOptions = {
  readonly files: readonly string[];
  readonly node: string;
  /** Default: the node name. */
  readonly hostname: string | null;
  readonly logLevel: SpeakerLogLevel;
  /** An FRR level that wins over logLevel (MetalLB's FRR_LOGGING_LEVEL). */
  readonly frrLogLevel: string | null;
  /** A file appended verbatim at the end (MetalLB's bgpextras). */
  readonly extraConfigFile: string | null;
  readonly ignoreExcludeLB: boolean;
  readonly loadBalancerClass: string | null;
};

function printErrors(io: CliIO, headline: string, errors: readonly ConfigError[]): number {
  io.stderr(`${headline}\n\n${formatTable(['OBJECT', 'FIELD', 'ERROR'], errors.map((e) => [e.object, e.field || '-', e.message]))}\n`);
  return 1;
}

async function readExtraConfig(path: string | null): Promise<ExtraConfig | ConfigError | null> {
  if (path === null) return null;
  try {
    return { source: path, text: await readFile(path, 'utf8') };
  } catch (e) {
    return { object: path, field: '', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

/** Exit status: 0 rendered, 1 invalid manifests, options or an unrenderable configuration. */
export async function runRender(options: RenderCliOptions, io: CliIO): Promise<number> {
  const loaded = await loadManifests(options.files);
  const parsed = parseInput(loaded.objects);
  const errors = [...loaded.errors, ...parsed.errors];
  const frrLevel = options.frrLogLevel === null ? frrLogLevelFor(options.logLevel) : parseFrrLogLevel(options.frrLogLevel);
  if (frrLevel === null) errors.push({ object: '--frr-log-level', field: '', message: `"${options.frrLogLevel}" is not an FRR log level` });
  const extra = await readExtraConfig(options.extraConfigFile);
  if (extra !== null && 'object' in extra) errors.push(extra);
  if (errors.length > 0 || frrLevel === null || (extra !== null && 'object' in extra)) {
    return printErrors(io, `The input is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was rendered.`, errors);
  }
  for (const w of parsed.warnings) io.stderr(`warning: ${w.object}${w.field ? ` ${w.field}` : ''}: ${w.message}\n`);
  if (!parsed.nodes.some((n) => n.name === options.node)) io.stderr(`warning: Node/${options.node} is not in the manifests; rendering it as a node without labels\n`);
  const plan = planAllocations(parsed.config.pools, parsed.services, { loadBalancerClass: options.loadBalancerClass });
  const rendered = renderNode(bgpSnapshot(parsed, plan, options.ignoreExcludeLB), options.node, {
    hostname: options.hostname ?? options.node,
    logLevel: frrLevel,
    secretPasswords: secretPasswords(parsed.config.bgpPeers, parsed.secrets),
    extraConfig: extra,
  });
  if (!rendered.ok) {
    const e = rendered.error;
    return printErrors(io, `Cannot render frr.conf for node ${options.node} (${e.reason}).`, [{ object: e.object, field: e.field, message: e.message }]);
  }
  io.stdout(rendered.value);
  return 0;
}
