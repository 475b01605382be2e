// The speaker's Layer-2 flags as commander sees them. Apart from speaker-l2.ts so that defining the
// command line (for every barelb command, and for --help) does not load the L2 responder.

import type { Command } from 'commander';
import { defaultHeartbeatPort } from '../speaker/l2/heartbeat/config.ts';
import { heartbeatDefaults } from '../speaker/l2/heartbeat/membership.ts';
import { metallbDefaultExcludes } from '../speaker/l2/interfaces.ts';
import { collect, integer } from './flag-parsers.ts';

/** The flags as commander hands them over. */
export type L2Flags = {
  readonly heartbeatSecret?: string;
  readonly heartbeatKeyFile?: string;
  readonly heartbeatPort: number;
  readonly heartbeatInterval: number;
  readonly heartbeatMissed: number;
  readonly l2ExcludeInterface?: string[];
  readonly l2RefreshInterval?: number;
  /** Shared with BGP: `--ignore-exclude-lb`. */
  readonly ignoreExcludeLb?: boolean;
};

/** Adds the L2 flags to the `speaker` command. */
export function addL2Flags(cmd: Command): Command {
  return cmd
    .option('--heartbeat-secret <namespace/name>', 'L2: the Secret whose "key" (16+ bytes) signs heartbeats (HMAC-SHA256)')
    .option('--heartbeat-key-file <path>', 'L2: a file holding the heartbeat key (16+ bytes), instead of a Secret')
    .option('--heartbeat-port <port>', 'L2: UDP port of the heartbeats, on every node', integer(1, 65535), defaultHeartbeatPort)
    .option('--heartbeat-interval <ms>', 'L2: send a heartbeat every this many ms', integer(10, 60_000), heartbeatDefaults.intervalMs)
    .option('--heartbeat-missed <count>', `L2: a peer is dead after this many intervals without one (+${heartbeatDefaults.jitterMarginMs} ms)`, integer(1, 100), heartbeatDefaults.missedIntervals)
    .option('--l2-exclude-interface <regex>', `L2: never answer on interfaces matching this (repeatable; replaces the default ${metallbDefaultExcludes.join(' ')})`, collect)
    .option('--l2-refresh-interval <ms>', 'L2: after the take-over burst, announce owned addresses again every this many ms (default: never; for switches that forget MACs)', integer(1_000, 3_600_000));
}
