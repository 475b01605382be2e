// Writes helm/barelb/crds/*.yaml and docs/configuration.md from src/k8s/crds*.ts
// (`npm run gen:crds`), removing CRD files of kinds that no longer exist. `--check` writes
// nothing and exits 1 when a file differs.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configurationDocPath, renderConfigurationDoc } from '../src/k8s/crd-docs.ts';
import { crdDirectory, renderAllCrds } from '../src/k8s/crds.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, crdDirectory);
const docPath = join(root, configurationDocPath);
const doc = renderConfigurationDoc();
const docDiffers = (() => {
  try {
    return readFileSync(docPath, 'utf8') !== doc;
  } catch {
    return true;
  }
})();
const check = process.argv.includes('--check');
const wanted = renderAllCrds();
mkdirSync(dir, { recursive: true });
const stale = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !wanted.has(f));
const differing = [...wanted].filter(([file, text]) => {
  try {
    return readFileSync(join(dir, file), 'utf8') !== text;
  } catch {
    return true;
  }
});

if (check) {
  for (const f of stale) console.error(`stale: ${crdDirectory}/${f}`);
  for (const [f] of differing) console.error(`out of date: ${crdDirectory}/${f}`);
  if (docDiffers) console.error(`out of date: ${configurationDocPath}`);
  if (stale.length > 0 || differing.length > 0 || docDiffers) {
    console.error('run `npm run gen:crds`');
    process.exit(1);
  }
} else {
  for (const f of stale) rmSync(join(dir, f));
  for (const [f, text] of differing) writeFileSync(join(dir, f), text);
  if (docDiffers) writeFileSync(docPath, doc);
  console.log(`${crdDirectory}: ${differing.length} written, ${stale.length} removed, ${wanted.size - differing.length} unchanged`);
  console.log(`${configurationDocPath}: ${docDiffers ? 'written' : 'unchanged'}`);
}
