#!/usr/bin/env bash
# Regenerates the *.hex frame fixtures beside this script from real traffic: two network
# namespaces joined by a veth pair, documentation addresses only (192.0.2.0/24, 2001:db8::/32),
# kernel + arping + ndisc6 as the talkers, tcpdump inside namespace A as the recorder.
# Needs root (ip netns), arping (Thomas Habets' 2.x), ndisc6, tcpdump. Touches nothing outside
# the two namespaces it creates, and deletes them on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
A=blb-cap-$$-a
B=blb-cap-$$-b
MAC_A=02:00:5e:10:00:0a
MAC_B=02:00:5e:10:00:0b
work=$(mktemp -d)
cleanup() {
  ip netns del "$A" 2>/dev/null || true
  ip netns del "$B" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

inA() { ip netns exec "$A" "$@"; }
inB() { ip netns exec "$B" "$@"; }

ip netns add "$A"
ip netns add "$B"
inA ip link add vA address "$MAC_A" type veth peer name vB address "$MAC_B" netns "$B"
# Unsolicited NAs from B when its addresses change (RFC 4861 §7.2.6); fast NUD probes from A.
inB sysctl -qw net.ipv6.conf.vB.ndisc_notify=1 net.ipv6.conf.all.ndisc_notify=1
inA sysctl -qw net.ipv6.neigh.vA.delay_first_probe_time=1
inA ip addr add 192.0.2.1/24 dev vA
inA ip addr add 2001:db8::1/64 dev vA nodad
inB ip addr add 192.0.2.2/24 dev vB
inB ip addr add 2001:db8::2/64 dev vB nodad
inA ip link set vA up

inA tcpdump -i vA -U -s 0 -w "$work/all.pcap" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
sleep 1

# B comes up: link-local DAD (NS from ::, usually with a nonce option), MLDv2 reports, RS.
inB ip link set vB up
sleep 3
# ARP: request from A, reply from B's kernel; gratuitous request and reply forms; 802.1Q-tagged request.
inA arping -q -c 1 -i vA 192.0.2.2 || true
inA arping -q -c 1 -U -i vA -S 192.0.2.1 192.0.2.1 || true
inA arping -q -c 1 -U -P -i vA -S 192.0.2.1 192.0.2.1 || true
inA arping -q -c 1 -V 100 -i vA 192.0.2.2 || true
# NDP: multicast NS with SLLA from ndisc6, solicited NA from B's kernel.
inA ndisc6 -q -1 -r 1 2001:db8::2 vA || true
# Unicast NS: a stale neighbour entry is probed directly once traffic flows.
inA ip -6 neigh replace 2001:db8::2 lladdr "$MAC_B" dev vA nud stale
inA bash -c 'echo probe > /dev/udp/2001:db8::2/9' || true
sleep 3
# Unsolicited NA (ndisc_notify): B announces its addresses when its MAC changes.
inB ip link set vB address 02:00:5e:10:00:0c
sleep 2
# An IPv4 UDP datagram: not ARP, not NDP.
inA bash -c 'echo noise > /dev/udp/192.0.2.2/9' || true
sleep 1

kill "$tcpdump_pid"
wait "$tcpdump_pid" || true

# name | pcap filter | the nth match (1-based)
fixtures=(
  "arp-request|arp and arp[6:2] = 1 and ether src $MAC_A and arp[14:4] != arp[24:4]|1"
  "arp-reply|arp and arp[6:2] = 2 and ether src $MAC_B|1"
  "arp-gratuitous-request|arp and arp[6:2] = 1 and arp[14:4] = arp[24:4] and ether src $MAC_A|1"
  "arp-gratuitous-reply|arp and arp[6:2] = 2 and arp[14:4] = arp[24:4] and ether src $MAC_A|1"
  "arp-request-vlan|vlan 100 and arp|1"
  "ns-multicast|icmp6 and ip6[40] = 135 and ip6 dst host ff02::1:ff00:2|1"
  "na-solicited|icmp6 and ip6[40] = 136 and ip6 dst host fe80::5eff:fe10:a|1"
  "na-solicited-no-tlla|icmp6 and ip6[40] = 136 and ip6 dst host fe80::5eff:fe10:a|2"
  "ns-unicast|icmp6 and ip6[40] = 135 and ip6 dst host 2001:db8::2|1"
  "ns-dad|icmp6 and ip6[40] = 135 and ip6 src host ::|1"
  "na-unsolicited|icmp6 and ip6[40] = 136 and ip6 dst host ff02::1|1"
  "mld-report|ip6 proto 0|1"
  "router-solicitation|icmp6 and ip6[40] = 133|1"
  "udp4|udp and ip|1"
  "udp6|udp and ip6|1"
)
for row in "${fixtures[@]}"; do
  IFS='|' read -r name filter nth <<<"$row"
  out="$here/$name.hex"
  decoded=$(tcpdump -r "$work/all.pcap" -nn -e -v "$filter" 2>/dev/null | awk -v n="$nth" '/^[0-9]/{c++} c==n' | tr -s ' \n' ' ')
  hex=$(tcpdump -r "$work/all.pcap" -nn -xx "$filter" 2>/dev/null |
    awk -v n="$nth" '/^[0-9]/{c++; next} c==n { for (i = 2; i <= NF; i++) printf "%s", $i }')
  if [ -z "$hex" ]; then echo "no frame for $name ($filter)" >&2; tcpdump -r "$work/all.pcap" -nn -e >&2; exit 1; fi
  {
    echo "# $name: captured by capture.sh (tcpdump -w in a network namespace); regenerate, don't edit."
    echo "# tcpdump -e -v: ${decoded}"
    echo "$hex" | fold -w 64
  } >"$out"
  echo "wrote $out"
done
