// Adapter: reads the frr.conf templates shipped in templates/*.hbs (once, at first render).
// The only file access of the BGP core; compiling and rendering stay pure.

import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The entry template; every other template is a partial named after its file. */
export const entryTemplate = 'frr.conf';

export const templatesDir = new URL('../../../templates/', import.meta.url);

/** Template name (file name without .hbs) -> source text, sorted by name. */
export function readTemplateSources(): ReadonlyMap<string, string> {
  const files = readdirSync(templatesDir).filter((f) => f.endsWith('.hbs')).sort();
  return new Map(files.map((f) => [basename(f, '.hbs'), readFileSync(new URL(f, templatesDir), 'utf8')]));
}
