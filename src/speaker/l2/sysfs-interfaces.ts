// The interface-scan adapter: reads /sys/class/net and /proc/net/if_inet6 of the network namespace
// the speaker runs in (`ip netns exec` mounts a matching sysfs). No policy; see link-scan.ts.

import { access, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMac } from './codec/bytes.ts';
import { linkLocalsFromProc, type InterfaceInfo } from './link-scan.ts';

export type SysfsPaths = { readonly sysClassNet: string; readonly ifInet6: string };
export const defaultSysfsPaths: SysfsPaths = { sysClassNet: '/sys/class/net', ifInet6: '/proc/net/if_inet6' };

const readText = async (path: string): Promise<string | null> => readFile(path, 'utf8').catch(() => null);

async function one(dir: string, ifname: string, linkLocals: ReadonlyMap<string, InterfaceInfo['linkLocal']>): Promise<InterfaceInfo | null> {
  const [flags, ifindex, address] = await Promise.all(['flags', 'ifindex', 'address'].map((f) => readText(join(dir, ifname, f))));
  // An interface deleted between readdir and here has no files: skip it.
  if (flags === undefined || flags === null || ifindex === undefined || ifindex === null) return null;
  const mac = parseMac(address ?? '');
  const enslaved = await access(join(dir, ifname, 'master')).then(() => true, () => false);
  return { ifname, ifindex: Number(ifindex.trim()), flags: parseInt(flags.trim(), 16), mac: mac.ok ? mac.value : null, enslaved, linkLocal: linkLocals.get(ifname) ?? null };
}

/** Every interface of this namespace, as the kernel describes it now. */
export async function scanSysfsInterfaces(paths: SysfsPaths = defaultSysfsPaths): Promise<InterfaceInfo[]> {
  const [names, inet6] = await Promise.all([readdir(paths.sysClassNet), readText(paths.ifInet6)]);
  const linkLocals = linkLocalsFromProc(inet6 ?? '');
  const infos = await Promise.all(names.map((n) => one(paths.sysClassNet, n, linkLocals)));
  return infos.filter((i): i is InterfaceInfo => i !== null && Number.isInteger(i.ifindex) && Number.isFinite(i.flags));
}
