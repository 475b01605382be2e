// The speaker's BGP flags as commander sees them. Apart from speaker-bgp.ts so that defining the
// command line (for every barelb command, and for --help) does not load the FRR driver.

import { hostname } from 'node:os';
import { Option, type Command } from 'commander';
import { integer } from './flag-parsers.ts';

/** The flags as commander hands them over. */
export type BgpFlags = {
  readonly vtysh: string;
  readonly frrReload: string;
  readonly frrPathspace?: string;
  readonly frrRoot: string;
  readonly frrConfig?: string;
  readonly frrRunDir?: string;
  readonly frrScratchDir: string;
  readonly frrVtySocket: boolean;
  readonly hostname: string;
  readonly frrLogLevel?: string;
  readonly ignoreExcludeLb: boolean;
  readonly frrPollInterval: number;
  readonly frrVerifyInterval: number;
};

/** The default of --hostname. */
export const defaultHostname = (): string => hostname();

/** Adds the BGP flags to the `speaker` command. */
export function addBgpFlags(cmd: Command, defaultHostname: string): Command {
  return cmd
    .option('--no-bgp', 'do not drive FRR')
    .option('--vtysh <command>', 'BGP: how to run vtysh, split on spaces (no shell)', 'vtysh')
    .option('--frr-reload <command>', 'BGP: how to run frr-reload.py, split on spaces (used only for router-id, ASN or VRF changes)', '/usr/lib/frr/frr-reload.py')
    .option('--frr-pathspace <name>', 'BGP: FRR pathspace (vtysh -N NAME) when FRR runs with one')
    .option('--frr-root <dir>', "BGP: FRR's filesystem root as seen from here (a chroot; / for a sidecar sharing volumes)", '/')
    .option('--frr-config <path>', 'BGP: frr.conf as FRR sees it; the applied config is written there (default /etc/frr[/PATHSPACE]/frr.conf)')
    .option('--frr-run-dir <path>', "BGP: FRR's runtime directory as FRR sees it, watched for restarts; bgpd batches go to its bgpd.vty (default /run/frr[/PATHSPACE])")
    .option('--frr-scratch-dir <path>', 'BGP: directory for vtysh batch files, as FRR sees it', '/tmp')
    .option('--no-frr-vty-socket', "BGP: send every batch through vtysh, never straight to bgpd's vty socket (<run dir>/bgpd.vty)")
    .option('--hostname <name>', 'BGP: hostname line of frr.conf', defaultHostname)
    .option('--frr-log-level <level>', 'BGP: FRR log level (FRR or speaker level name; default from --log-level)')
    .option('--ignore-exclude-lb', 'BGP and L2: announce from nodes labelled node.kubernetes.io/exclude-from-external-load-balancers too', false)
    .addOption(new Option('--frr-poll-interval <ms>', 'BGP: read BGP/BFD session state this often').argParser(integer(100, 600_000)).default(2_000))
    .addOption(new Option('--frr-verify-interval <ms>', "BGP: read FRR's running config back this often while idle and repair drift (0: never)").argParser(integer(0, 86_400_000)).default(60_000));
}
