// Adapter: reads the frr.conf template sources in templates/*.hbs, for the generator of the
// precompiled templates (scripts/gen-templates.ts) and for tests. The processes read no template
// file: they run templates-precompiled.ts.

import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

export const templatesDir = new URL('../../../templates/', import.meta.url);

/** Template name (file name without .hbs) -> source text, sorted by name. */
export function readTemplateSources(): ReadonlyMap<string, string> {
  const files = readdirSync(templatesDir).filter((f) => f.endsWith('.hbs')).sort();
  return new Map(files.map((f) => [basename(f, '.hbs'), readFileSync(new URL(f, templatesDir), 'utf8')]));
}
