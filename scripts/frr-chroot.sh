#!/usr/bin/env bash
# Builds, once per machine, the Debian trixie chroot with FRR 10.x that the e2e harness runs
# (e2e/harness/frr.ts), after installing missing host tools (debootstrap, iproute2, procps).
# Atomic: built in DIR.tmp and renamed, so a half-built tree is never used; leaves nothing mounted.
# Usage: scripts/frr-chroot.sh [--print-root]   (env BARELB_FRR_ROOT overrides the directory,
# BARELB_DEBIAN_MIRROR the mirror; the build log is DIR.build.log)
set -euo pipefail

ROOT="${BARELB_FRR_ROOT:-/var/cache/barelb/frr-trixie-v1}"
SUITE=trixie
MIRROR="${BARELB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
STAMP_NAME=.barelb-frr-chroot
# Bump when the recipe below changes, so machines rebuild their cached tree.
RECIPE=1
PACKAGES=(frr frr-pythontools iproute2)
TMP="$ROOT.tmp"

log() { printf '[frr-chroot] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ "${1:-}" == "--print-root" ]]; then
  printf '%s\n' "$ROOT"
  exit 0
fi

[[ "$ROOT" == /* ]] || die "BARELB_FRR_ROOT must be an absolute path (got '$ROOT')"
[[ "$(id -u)" == 0 ]] || die "must run as root (debootstrap and chroot need it)"

is_ready() {
  [[ -x "$ROOT/usr/lib/frr/bgpd" && -f "$ROOT/$STAMP_NAME" ]] &&
    grep -qx "recipe=$RECIPE" "$ROOT/$STAMP_NAME"
}

# Unmounts whatever an interrupted debootstrap left mounted below $1 (deepest first), so that
# removing the tree can never reach into the host's /proc, /sys or /dev.
unmount_below() {
  local dir mounts
  dir="$(realpath -m "$1")"
  mounts="$(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r)"
  if [[ -n "$mounts" ]]; then
    while IFS= read -r m; do
      log "unmounting stale $m"
      umount -l "$m"
    done <<<"$mounts"
  fi
}

remove_tree() {
  [[ -e "$1" ]] || return 0
  unmount_below "$1"
  rm -rf --one-file-system "$1"
}

ensure_host_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v unshare >/dev/null || missing+=(util-linux)
  command -v flock >/dev/null || missing+=(util-linux)
  command -v sysctl >/dev/null || missing+=(procps)
  # The L2 tests' client side: the kernel's own ARP/NDP tools and captures.
  command -v arping >/dev/null || missing+=(arping)
  command -v ndisc6 >/dev/null || missing+=(ndisc6)
  command -v tcpdump >/dev/null || missing+=(tcpdump)
  command -v openssl >/dev/null || missing+=(openssl)
  if ((${#missing[@]})); then
    log "installing host packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  # debootstrap of a newer suite needs its keyring; bookworm's debian-archive-keyring has it.
  [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] || {
    log "installing host package: debian-archive-keyring"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debian-archive-keyring
  }
}

# A failed build removes its partial tree (it would be rebuilt from scratch anyway).
fail_build() {
  remove_tree "$TMP"
  die "$@"
}

build() {
  local start=$SECONDS
  remove_tree "$TMP"
  log "debootstrap --variant=minbase $SUITE $TMP (about 30 s)"
  debootstrap --variant=minbase "$SUITE" "$TMP" "$MIRROR" >"$ROOT.build.log" 2>&1 ||
    fail_build "debootstrap failed; see $ROOT.build.log"
  # Keep package scripts from starting services inside the chroot.
  printf '#!/bin/sh\nexit 101\n' >"$TMP/usr/sbin/policy-rc.d"
  chmod 0755 "$TMP/usr/sbin/policy-rc.d"
  log "apt-get install ${PACKAGES[*]} (about 15 s)"
  chroot "$TMP" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean && rm -rf /var/lib/apt/lists/*' \
    sh "${PACKAGES[@]}" >>"$ROOT.build.log" 2>&1 ||
    fail_build "apt-get install in the chroot failed; see $ROOT.build.log"
  unmount_below "$TMP"
  [[ -x "$TMP/usr/lib/frr/bgpd" ]] || fail_build "bgpd missing after install; see $ROOT.build.log"
  local version
  version="$(chroot "$TMP" dpkg-query -W -f '${Version}' frr)"
  printf 'recipe=%s\nsuite=%s\nfrr=%s\nbuilt=%s\n' "$RECIPE" "$SUITE" "$version" "$(date -u +%FT%TZ)" \
    >"$TMP/$STAMP_NAME"
  # Replace an outdated tree only now that the new one is complete.
  if [[ -e "$ROOT" ]]; then
    mv "$ROOT" "$ROOT.old.$$"
    remove_tree "$ROOT.old.$$"
  fi
  mv "$TMP" "$ROOT"
  log "ready: $ROOT (FRR $version) in $((SECONDS - start)) s"
}

# The harness needs ip and unshare even when the tree is cached: check (cheap) every time.
ensure_host_tools
if is_ready; then
  log "ready: $ROOT ($(grep '^frr=' "$ROOT/$STAMP_NAME"))"
  exit 0
fi

mkdir -p "$(dirname "$ROOT")"
# One builder at a time; a second caller waits, then finds the tree ready.
exec 9>"$ROOT.lock"
flock -w 900 9 || die "timed out waiting for another build (lock $ROOT.lock)"
if is_ready; then
  log "ready: $ROOT (built by another process)"
  exit 0
fi
build
