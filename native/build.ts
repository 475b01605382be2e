// Builds native/ (the AF_PACKET addon) with node-gyp against the headers of the pinned Node: the
// machines reach package registries only, so node-gyp must never download headers itself.
// Run by the npm `install` script; `node native/build.ts` rebuilds by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
const rootDir = dirname(nativeDir);

/** A Node install prefix (or npm `node-<os>-<arch>` package) usable as node-gyp's --nodedir. */
function hasHeaders(prefix: string): boolean {
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi'));
}

function tryResolve(request: string, from: string): string | undefined {
  try {
    return createRequire(from).resolve(request);
  } catch {
    return undefined;
  }
}

/** The version of the npm `node` package (the runtime the project pins), or of this process. */
function pinnedVersion(): { version: string; nodePackage: string | undefined } {
  const nodePackage = tryResolve('node/package.json', join(rootDir, 'package.json'));
  if (nodePackage === undefined) return { version: process.versions.node, nodePackage };
  const { version } = JSON.parse(readFileSync(nodePackage, 'utf8')) as { version: string };
  return { version, nodePackage };
}

/**
 * Where the headers are, in order: the `node-<os>-<arch>` package that the `node` package's
 * preinstall put under it (a later `npm install` prunes it, being unlisted in the lockfile); the
 * prefix of this very node binary; a cache filled from the npm registry with `npm pack`.
 */
function findNodeDir(): string {
  const { version, nodePackage } = pinnedVersion();
  const platformPackage = `node-${process.platform}-${process.arch}`;
  const bundled = nodePackage && tryResolve(`${platformPackage}/package.json`, nodePackage);
  if (bundled && hasHeaders(dirname(bundled))) return dirname(bundled);
  const ownPrefix = dirname(dirname(process.execPath));
  if (process.versions.node === version && hasHeaders(ownPrefix)) return ownPrefix;
  const cache = join(rootDir, 'node_modules', '.cache', 'barelb-node-headers', `${platformPackage}-${version}`);
  if (!hasHeaders(cache)) fetchHeaders(`${platformPackage}@${version}`, cache);
  return cache;
}

/** Unpacks only `include/` of the registry package into `target`. */
function fetchHeaders(spec: string, target: string): void {
  console.error(`[native] headers not found locally; fetching ${spec} from the npm registry`);
  const scratch = mkdtempSync(join(tmpdir(), 'barelb-headers-'));
  try {
    const out = execFileSync('npm', ['pack', spec, '--pack-destination', scratch, '--silent'], { encoding: 'utf8' });
    const tarball = out.trim().split('\n').at(-1) ?? '';
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', target, '--strip-components=1', 'package/include']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!hasHeaders(target)) throw new Error(`${spec} has no include/node/node_api.h`);
}

/** node-gyp from devDependencies, else the copy npm ships (npm sets npm_config_node_gyp). */
function nodeGyp(): string {
  const local = tryResolve('node-gyp/bin/node-gyp.js', join(rootDir, 'package.json'));
  const bundled = process.env['npm_config_node_gyp'];
  const script = local ?? bundled;
  if (script === undefined || script === '') throw new Error('node-gyp not found: run npm ci (it is a devDependency)');
  return script;
}

const nodedir = findNodeDir();
console.error(`[native] building packet_socket.node with headers from ${nodedir}`);
execFileSync(process.execPath, [nodeGyp(), 'rebuild', `--nodedir=${nodedir}`], { cwd: nativeDir, stdio: 'inherit' });
