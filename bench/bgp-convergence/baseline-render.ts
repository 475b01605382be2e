// The baseline's frr.conf: exactly what barelb's speaker renders (its BGP handler, in process) for
// the baseline node, from the benchmark directory and the controller's state file, optionally with
// one more Service holding a given address. MetalLB renders the same kind of whole file per change.

import { parseInput } from '../../src/api/input.ts';
import { serviceKey } from '../../src/api/model.ts';
import type { Allocation } from '../../src/controller/reconcile.ts';
import { recordingLogger } from '../../src/log/logger.ts';
import { parseIP } from '../../src/net/ip.ts';
import { frrLogLevelFor } from '../../src/speaker/bgp/log-level.ts';
import { bgpHandler } from '../../src/speaker/bgp/handler.ts';
import { ManifestCache, decodeManifestText, loadManifests } from '../../src/store/manifest-files.ts';
import { readState } from '../../src/store/state-file.ts';
import { BASELINE_HOSTNAME } from './lab.ts';
import { SERVICE_NAMESPACE, serviceManifest } from './manifests.ts';

export type ExtraService = { readonly name: string; readonly index: number; readonly ip: string };

export class BaselineRenderer {
  readonly #dir: string;
  readonly #cache = new ManifestCache();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The whole frr.conf for the baseline node; `extra` adds one Service with its address. */
  async render(extra: ExtraService | null): Promise<string> {
    const loaded = await loadManifests([this.#dir], this.#cache);
    const objects = [...loaded.objects, ...(extra === null ? [] : decodeManifestText(serviceManifest(extra.name, extra.index), 'extra').objects)];
    const input = parseInput(objects);
    if (input.errors.length > 0) throw new Error(`baseline: invalid manifests: ${JSON.stringify(input.errors.slice(0, 3))}`);
    const allocations = new Map((await readState(this.#dir)).allocations);
    if (extra !== null) {
      const ip = parseIP(extra.ip);
      if (!ip.ok) throw new Error(`baseline: ${ip.error}`);
      allocations.set(serviceKey(SERVICE_NAMESPACE, extra.name), { ips: [ip.value], pool: 'bench' } satisfies Allocation);
    }
    let text: string | null = null;
    const handler = bgpHandler({
      hostname: BASELINE_HOSTNAME,
      logLevel: frrLogLevelFor('info'),
      ignoreExcludeLB: false,
      sink: { submit: (t) => void (text = t) },
      logger: recordingLogger(),
    });
    await handler.update({ node: BASELINE_HOSTNAME, input, allocations });
    if (text === null) throw new Error('baseline: barelb rendered nothing');
    return text;
  }
}
