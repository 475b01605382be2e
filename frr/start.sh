#!/bin/sh
# barelb's FRR sidecar. Lays out the two directories it shares with the speaker, boots FRR with the
# speaker's last applied /etc/frr/frr.conf (after a sidecar restart) or a minimal one (on the pod's
# first start: the speaker writes frr.conf only once FRR has taken it), then runs watchfrr in the
# foreground: it starts the daemons of /etc/frr/daemons, loads frr.conf into each (vtysh -b) and
# restarts any that dies.
#
# Ownership: FRR runs as frr:frr. Both directories are frr:frr mode 2775, so the speaker, which runs
# without DAC_OVERRIDE but in the frr and frrvty groups, can replace frr.conf, leave frr-reload.py's
# batch files in /var/run/frr and connect to the vty sockets (frr:frrvty 0770).
set -eu

startup=${BARELB_FRR_STARTUP:-/frr-startup}
conf=/etc/frr
run=/var/run/frr

install -d -o frr -g frr -m 2775 "$conf" "$run"
install -o frr -g frr -m 0644 "$startup/daemons" "$conf/daemons"
install -o frr -g frrvty -m 0644 "$startup/vtysh.conf" "$conf/vtysh.conf"

if [ -s "$conf/frr.conf" ]; then
  echo "barelb-frr: booting with the speaker's last applied $conf/frr.conf"
else
  echo "barelb-frr: no frr.conf yet; booting with a minimal one until the speaker applies its own"
  printf '%s\n' '! Minimal start-up configuration: barelb'"'"'s speaker replaces it.' 'log stdout informational' >"$conf/frr.conf.tmp"
  chown frr:frr "$conf/frr.conf.tmp"
  chmod 0640 "$conf/frr.conf.tmp"
  mv "$conf/frr.conf.tmp" "$conf/frr.conf"
fi

# frrcommon.sh reads /etc/frr/daemons; daemon_list names the enabled daemons (zebra, mgmtd and
# staticd always). It is not written for `set -eu`.
set +eu
daemons=
# shellcheck source=/dev/null
. /usr/lib/frr/frrcommon.sh
daemon_list daemons
echo "barelb-frr: watchfrr $daemons"
# shellcheck disable=SC2086 # word splitting intended: options and daemon names
exec /usr/lib/frr/watchfrr ${watchfrr_options:-} $daemons
