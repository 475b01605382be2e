// Network namespaces for the lab and the e2e tests: create/destroy, veth pairs, bridges, addresses,
// routes, link state, sysctls and commands run inside. Links are created directly inside their
// namespaces, so nothing ever appears in (or touches) the host's own network stack.
import { run, runOk } from './run.ts';
import type { RunOptions, RunResult } from './run.ts';
import { removeNamespaceSync, untracked, type Tracker } from './tracker.ts';

/** Only documentation ranges may be configured (RFC 5737, RFC 3849). */
const DOC_RANGES = [/^192\.0\.2\./, /^198\.51\.100\./, /^203\.0\.113\./, /^2001:db8:/i];
const IFNAME = /^[a-zA-Z0-9_.-]{1,15}$/;
/** Also an FRR pathspace, so no slashes or dots. */
const NETNS_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class Netns {
  /** The `ip netns` name (also the FRR pathspace of an instance inside). */
  readonly name: string;
  /** Where this namespace and what is started inside it are recorded. */
  readonly tracker: Tracker;
  #deleted = false;

  private constructor(name: string, tracker: Tracker) {
    this.name = name;
    this.tracker = tracker;
  }

  /**
   * Creates namespace `name` with `lo` up and IPv6 DAD off for every interface made later
   * (link-local addresses are usable at once, which unnumbered BGP needs).
   */
  static async create(name: string, tracker: Tracker = untracked): Promise<Netns> {
    if (!NETNS_NAME.test(name)) throw new Error(`bad namespace name '${name}' ([a-z0-9-], at most 63)`);
    tracker.addNamespace(name);
    try {
      await runOk('ip', ['netns', 'add', name]);
      const ns = new Netns(name, tracker);
      await runOk('ip', ['netns', 'exec', name, 'sysctl', '-q', '-w',
        'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
      await ns.ip(['link', 'set', 'lo', 'up']);
      return ns;
    } catch (error) {
      removeNamespaceSync(name);
      tracker.dropNamespace(name);
      throw error;
    }
  }

  /** A handle on a namespace created earlier, possibly by another process. */
  static existing(name: string, tracker: Tracker = untracked): Netns {
    if (!NETNS_NAME.test(name)) throw new Error(`bad namespace name '${name}'`);
    return new Netns(name, tracker);
  }

  /** Runs `file args…` inside the namespace (`ip netns exec`); a non-zero exit is returned. */
  exec(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.name, file, ...args], options);
  }

  /** Runs `ip -n NS args…`; a non-zero exit throws with the command and its output. */
  ip(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return runOk('ip', ['-n', this.name, ...args], options);
  }

  /** Sets a sysctl inside the namespace only (`ip netns exec NS sysctl -w key=value`). */
  async sysctl(key: string, value: string): Promise<void> {
    if (!/^net\.[a-z0-9_./-]+$/.test(key)) throw new Error(`refusing sysctl outside net.*: ${key}`);
    await runOk('ip', ['netns', 'exec', this.name, 'sysctl', '-q', '-w', `${key}=${value}`]);
  }

  /** Creates a bridge (no STP, so ports forward at once) and brings it up. */
  async addBridge(ifname: string): Promise<void> {
    checkIfname(ifname);
    await this.ip(['link', 'add', ifname, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
    await this.setLink(ifname, 'up');
  }

  /** Enslaves `ifname` to `bridge`. */
  async attach(ifname: string, bridge: string): Promise<void> {
    await this.ip(['link', 'set', checkIfname(ifname), 'master', checkIfname(bridge)]);
  }

  /** Adds an address (CIDR text); IPv6 gets `nodad` so tests never wait on DAD. */
  async addAddress(ifname: string, cidr: string): Promise<void> {
    checkDocumentationRange(cidr);
    const extra = cidr.includes(':') ? ['nodad'] : [];
    await this.ip(['address', 'add', cidr, 'dev', checkIfname(ifname), ...extra]);
  }

  /** Adds a route (`ip route add ROUTE…`); every address in it must be in a documentation range. */
  async addRoute(args: readonly string[]): Promise<void> {
    for (const word of args) if (/^[0-9a-f.:]+(\/\d+)?$/i.test(word) && /[.:]/.test(word)) checkDocumentationRange(word);
    await this.ip(['route', 'add', ...args]);
  }

  /** Brings a link up or down (down cuts it, e.g. to test failover). */
  async setLink(ifname: string, state: 'up' | 'down'): Promise<void> {
    await this.ip(['link', 'set', checkIfname(ifname), state]);
  }

  /** Kills whatever still runs inside, then deletes the namespace. Idempotent. */
  async destroy(): Promise<void> {
    if (this.#deleted) return;
    this.#deleted = true;
    const pids = await run('ip', ['netns', 'pids', this.name]);
    for (const pid of pids.stdout.split('\n').filter((line) => /^\d+$/.test(line))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await runOk('ip', ['netns', 'delete', this.name]);
    this.tracker.dropNamespace(this.name);
  }
}

export interface VethEnd {
  readonly ns: Netns;
  readonly ifname: string;
}

/** Creates a veth pair with one end in each namespace and brings both ends up. */
export async function addVethPair(a: VethEnd, b: VethEnd): Promise<void> {
  await a.ns.ip([
    'link', 'add', checkIfname(a.ifname), 'type', 'veth', 'peer', 'name', checkIfname(b.ifname), 'netns', b.ns.name,
  ]);
  await a.ns.setLink(a.ifname, 'up');
  await b.ns.setLink(b.ifname, 'up');
}

function checkIfname(ifname: string): string {
  if (!IFNAME.test(ifname)) throw new Error(`bad interface name '${ifname}' (1-15 of [a-zA-Z0-9_.-])`);
  return ifname;
}

function checkDocumentationRange(cidr: string): void {
  if (!DOC_RANGES.some((range) => range.test(cidr))) {
    throw new Error(`refusing ${cidr}: only documentation ranges are used (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32)`);
  }
}
