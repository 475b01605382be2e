// Writes src/speaker/bgp/templates-precompiled.ts from templates/*.hbs (`npm run gen:templates`):
// the processes run the precompiled templates on Handlebars' runtime, without its compiler. A unit
// test (render.test.ts) fails while the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { precompiledModule } from '../src/speaker/bgp/template-compile.ts';
import { readTemplateSources } from '../src/speaker/bgp/template-files.ts';

const path = fileURLToPath(new URL('../src/speaker/bgp/templates-precompiled.ts', import.meta.url));
const text = precompiledModule(readTemplateSources());
let current = '';
try {
  current = readFileSync(path, 'utf8');
} catch {
  // missing: written below
}
if (current !== text) {
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path}\n`);
}
