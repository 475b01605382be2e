// Writes src/speaker/bgp/templates-precompiled.ts from templates/*.hbs (`npm run gen:templates`):
// the processes run the precompiled templates on Handlebars' runtime, without its compiler.
// `--check` writes nothing and exits 1 when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { precompiledModule } from '../src/speaker/bgp/template-compile.ts';
import { readTemplateSources } from '../src/speaker/bgp/template-files.ts';

export const precompiledPath = fileURLToPath(new URL('../src/speaker/bgp/templates-precompiled.ts', import.meta.url));

const text = precompiledModule(readTemplateSources());
let current = '';
try {
  current = readFileSync(precompiledPath, 'utf8');
} catch {
  // missing: written below
}
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(`${precompiledPath} is stale: run npm run gen:templates\n`);
    process.exit(1);
  }
} else if (current !== text) {
  writeFileSync(precompiledPath, text);
  process.stdout.write(`wrote ${precompiledPath}\n`);
}
