// The long-running processes load only what they run. Every barelb process loads main.ts, and the
// controller and the speaker load their command modules; none of them may reach, through static
// imports, the code of other commands (lab, migrate, explain) or the packages only those and
// local mode need. Commands defer such modules with import(), which this walk does not follow.

import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

// A top-level `import … from '…'`, `export … from '…'` or `import '…'`, possibly over several
// lines. `import type` and `export type` are erased, so they load nothing.
const staticImport = /^(?:import|export)(?!\s+type\b)(?:\s[^;'"]*?\bfrom\s*|\s*)(['"])([^'"]+)\1/gm;

/** What a specifier names: a repo-relative .ts path, a package name, or null (built-ins, non-.ts files). */
function target(from: string, specifier: string): string | null {
  if (specifier.startsWith('.')) {
    const path = relative(root, join(root, dirname(from), specifier));
    return path.endsWith('.ts') && existsSync(join(root, path)) ? path : null;
  }
  if (specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Every module reachable from `entry` by static imports, each with the module that first imported it. */
function staticGraph(entry: string): Map<string, string | null> {
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (!file.endsWith('.ts')) continue;
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(staticImport)) {
      const to = target(file, m[2] ?? '');
      if (to === null || parent.has(to)) continue;
      parent.set(to, file);
      queue.push(to);
    }
  }
  return parent;
}

/** `a.ts -> b.ts -> pkg`: how `entry` reaches `module` (breadth first, so a shortest chain). */
function chain(graph: Map<string, string | null>, module: string): string {
  const links: string[] = [];
  for (let m: string | null | undefined = module; m !== null && m !== undefined; m = graph.get(m)) links.unshift(m);
  return links.join(' -> ');
}

/** The chains by which `entry` reaches each forbidden package or directory (ending in /). */
function offending(entry: string, forbidden: readonly string[]): string[] {
  const graph = staticGraph(entry);
  return forbidden.flatMap((f) => {
    const hit = [...graph.keys()].find((m) => (f.endsWith('/') ? m.startsWith(f) : m === f));
    return hit === undefined ? [] : [chain(graph, hit)];
  });
}

const otherCommands = ['src/lab/', 'src/migrate/', 'src/explain/'];

const cases: readonly { readonly entry: string; readonly forbidden: readonly string[] }[] = [
  { entry: 'src/cli/main.ts', forbidden: [...otherCommands, 'zod', 'execa', 'yaml', 'chokidar', 'handlebars'] },
  // The controller renders every node's frr.conf as a dry run, with the precompiled templates on
  // Handlebars' runtime (required when first rendering); its compiler stays out.
  { entry: 'src/cli/controller-command.ts', forbidden: [...otherCommands, 'zod', 'execa', 'yaml', 'chokidar', 'handlebars'] },
  // Each protocol's driver is loaded when it is on: BGP's needs chokidar (FRR restarts) and
  // Handlebars' runtime (frr.conf); an L2-only speaker holds none of them. Neither loads the
  // Handlebars compiler (templates are precompiled), zod (FRR's session state is read by
  // hand-written decoders: zod cost each BGP speaker ~3 MB of heap) or execa (vtysh runs through
  // node:child_process: execa and its packages cost ~3 MB of heap).
  { entry: 'src/cli/speaker-command.ts', forbidden: [...otherCommands, 'yaml', 'zod', 'execa', 'chokidar', 'handlebars'] },
  { entry: 'src/cli/speaker-bgp.ts', forbidden: [...otherCommands, 'yaml', 'zod', 'execa', 'handlebars'] },
  // Kubeconfigs in JSON (client-node and `kubectl config view -o json` write it) need no YAML parser.
  { entry: 'src/k8s/kubeconfig.ts', forbidden: ['yaml'] },
];

describe('static imports of the long-running processes', () => {
  for (const { entry, forbidden } of cases) {
    it(`${entry} reaches none of ${forbidden.join(', ')}`, () => {
      const chains = offending(entry, forbidden);
      expect(chains, `static import chains to load lazily (with import()):\n  ${chains.join('\n  ')}\n`).to.deep.equal([]);
    });
  }

  // An ESM import of node:http builds its namespace from every export; its lazy WebSocket,
  // MessageEvent and CloseEvent exports then load undici: +1.9 MB of heap, +9 MB of RSS in a bare
  // process, ~3 MB in an idle speaker. The processes take node:http(s) from process.getBuiltinModule.
  it('no module of the long-running processes imports node:http or node:https as ESM (type imports aside)', () => {
    const modules = new Set([...staticGraph('src/cli/main.ts').keys(), ...staticGraph('src/cli/controller-command.ts').keys(), ...staticGraph('src/cli/speaker-command.ts').keys(), ...staticGraph('src/cli/speaker-bgp.ts').keys(), ...staticGraph('src/k8s/speaker-store.ts').keys(), ...staticGraph('src/k8s/client.ts').keys(), ...staticGraph('src/metrics/http-server.ts').keys()]);
    const importers = [...modules].filter((m) => m.endsWith('.ts') && [...readFileSync(join(root, m), 'utf8').matchAll(staticImport)].some((i) => i[2] === 'node:http' || i[2] === 'node:https'));
    expect(importers).to.deep.equal([]);
    expect(modules.has('src/k8s/client.ts') && modules.has('src/metrics/http-server.ts'), 'the walk reaches the modules that use them').to.equal(true);
  });

  it('follows static imports through modules to packages, but not import type or import()', () => {
    const bgp = staticGraph('src/cli/speaker-bgp.ts');
    expect(chain(bgp, 'chokidar')).to.equal('src/cli/speaker-bgp.ts -> src/speaker/bgp/apply/frr-watch.ts -> chokidar');
    const main = staticGraph('src/cli/main.ts');
    expect(main.has('commander'), 'import { … } from').to.equal(true);
    expect(main.has('src/cli/speaker-handlers.ts'), 'import type').to.equal(false);
    expect(main.has('src/cli/plan.ts'), 'import()').to.equal(false);
    expect(offending('src/cli/plan.ts', ['yaml', 'src/store/'])).to.have.length(2);
  });
});
