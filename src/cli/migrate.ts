// `barelb migrate -f METALLB_MANIFESTS [-o OUT]`: reads MetalLB manifests, writes barelb's, and
// reports on standard error what was left out or written differently. Exit statuses: 0 all
// carried over, 1 converted with things left out, 2 usage error or unreadable input.

import { writeFile } from 'node:fs/promises';
import { objectNameProblem } from '../api/names.ts';
import type { ConfigError } from '../api/model.ts';
import { migrate } from '../migrate/migrate.ts';
import { buildReport, renderManifests, renderReportText } from '../migrate/render.ts';
import { loadManifests } from '../store/manifest-files.ts';
import type { CliIO } from './io.ts';

export type MigrateOptions = {
  readonly files: readonly string[];
  readonly output: string | null;
  readonly namespace: string | null;
  readonly format: 'text' | 'json';
};

function reportErrors(errors: readonly ConfigError[], format: 'text' | 'json', io: CliIO): number {
  const plain = errors.map(({ object, field, message }) => ({ object, field, message }));
  if (format === 'json') io.stderr(JSON.stringify({ errors: plain }, null, 2) + '\n');
  else io.stderr(plain.map((e) => `error: ${e.object}${e.field === '' ? '' : ` ${e.field}`}: ${e.message}\n`).join(''));
  return 2;
}

export async function runMigrate(options: MigrateOptions, io: CliIO): Promise<number> {
  const bad = options.namespace === null ? null : objectNameProblem(options.namespace);
  if (bad !== null) return reportErrors([{ object: '--namespace', field: '', message: `${JSON.stringify(options.namespace)} is not a namespace name: ${bad}` }], options.format, io);
  const loaded = await loadManifests(options.files);
  if (loaded.errors.length > 0) return reportErrors(loaded.errors, options.format, io);
  const result = migrate(loaded.objects, { namespace: options.namespace });
  const manifests = renderManifests(result.objects);
  if (options.output === null) io.stdout(manifests);
  else {
    try {
      await writeFile(options.output, manifests);
    } catch (e) {
      return reportErrors([{ object: options.output, field: '', message: `cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }], options.format, io);
    }
  }
  io.stderr(options.format === 'json' ? JSON.stringify(buildReport(result), null, 2) + '\n' : renderReportText(result));
  return result.incomplete ? 1 : 0;
}
