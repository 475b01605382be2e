// The port through which the speaker reads FRR's state: one `show … json` command in, parsed
// JSON out. vtysh-query.ts is the real adapter; tests pass a scripted fake.

export type FrrQuery = {
  /** Resolves with the command's JSON output; rejects (with FrrQueryError from the real adapter) otherwise. */
  readonly showJson: (command: string) => Promise<unknown>;
};

/** The commands the state watcher runs each poll; each covers every VRF. */
export const stateCommands = {
  bgpNeighbors: 'show bgp vrf all neighbors json',
  bfdPeers: 'show bfd peers json',
  bfdCounters: 'show bfd peers counters json',
} as const;

/**
 * `timeout`: vtysh ran longer than allowed (killed); `exit-status`: vtysh exited non-zero, e.g.
 * `bfdd is not running` or `failed to connect to any daemons`; `not-json`: exit 0 but stdout is not
 * JSON (vtysh prints `% Unknown command` to stdout); `spawn-failed`: the program could not start.
 */
export const frrQueryFailureReasons = ['timeout', 'exit-status', 'not-json', 'spawn-failed'] as const;
export type FrrQueryFailureReason = (typeof frrQueryFailureReasons)[number];

export class FrrQueryError extends Error {
  readonly reason: FrrQueryFailureReason;

  constructor(reason: FrrQueryFailureReason, message: string) {
    super(message);
    this.name = 'FrrQueryError';
    this.reason = reason;
  }
}
