#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into a per-machine cache, once.
# Sources: e2e/cluster/go/{kube-apiserver,etcd}/go.mod (committed; regenerate with pin.sh).
# Output: $BARELB_K8S_CACHE (default /var/cache/barelb/k8s-<k8s version>)/{kube-apiserver,etcd,stamp}.
# Prints the cache directory on stdout; progress goes to stderr. Reuses the binaries when the
# stamp matches the versions and the two go.mod/go.sum files.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
src=$repo/e2e/cluster/go
k8s_version=$(sed -n 's#^[[:space:]]*k8s.io/kubernetes \(v[0-9.]*\).*#\1#p' "$src/kube-apiserver/go.mod")
etcd_version=$(sed -n 's#^[[:space:]]*go.etcd.io/etcd/server/v3 \(v[0-9.]*\).*#\1#p' "$src/etcd/go.mod")
[[ -n $k8s_version && -n $etcd_version ]] || { echo "build-k8s: cannot read versions from $src/*/go.mod" >&2; exit 1; }
cache=${BARELB_K8S_CACHE:-/var/cache/barelb/k8s-$k8s_version}

export PATH=/usr/local/go/bin:$PATH
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE=${BARELB_GOMODCACHE:-/var/cache/barelb/go/mod}
export GOCACHE=${BARELB_GOCACHE:-/var/cache/barelb/go/build}
command -v go >/dev/null || { echo "build-k8s: no go on PATH (expected /usr/local/go/bin/go)" >&2; exit 1; }

# The stamp names everything that decides the bytes of the two binaries.
stamp_text() {
  echo "kube-apiserver $k8s_version"
  echo "etcd $etcd_version"
  go version
  cat "$src/kube-apiserver/go.mod" "$src/kube-apiserver/go.sum" "$src/etcd/go.mod" "$src/etcd/go.sum" \
    | sha256sum | cut -d' ' -f1
}

fresh() { [[ -x $cache/kube-apiserver && -x $cache/etcd && -f $cache/stamp ]] && [[ $(cat "$cache/stamp") == "$want" ]]; }

mkdir -p "$cache" "$GOMODCACHE" "$GOCACHE"
want=$(stamp_text)
exec 9>"$cache.lock"
flock -w 3600 9 || { echo "build-k8s: timed out waiting for $cache.lock" >&2; exit 1; }
if fresh; then echo "$cache"; exit 0; fi

log() { echo "build-k8s: $(date +%T) $*" >&2; }
# Build in a scratch copy so that -mod=mod can never rewrite the committed go.sum.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/kube-apiserver" "$src/etcd" "$work/"
rm -f "$cache/stamp"
start=$SECONDS

minor=${k8s_version#v1.}; minor=${minor%%.*}
log "kube-apiserver $k8s_version: downloading modules"
(cd "$work/kube-apiserver" && go mod download) >&2
log "kube-apiserver $k8s_version: compiling (2 cores: about 6 min cold, seconds warm)"
(cd "$work/kube-apiserver" && go build -trimpath -pgo=off \
  -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version \
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
    -X k8s.io/component-base/version.gitTreeState=clean" \
  -o "$cache/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver) >&2
mv "$cache/kube-apiserver.tmp" "$cache/kube-apiserver"
log "kube-apiserver done after $((SECONDS - start)) s"

log "etcd $etcd_version: downloading modules and compiling"
(cd "$work/etcd" && go mod download && go build -trimpath -ldflags "-s -w" \
  -o "$cache/etcd.tmp" go.etcd.io/etcd/server/v3) >&2
mv "$cache/etcd.tmp" "$cache/etcd"
log "etcd done; total $((SECONDS - start)) s"

"$cache/kube-apiserver" --version >&2
"$cache/etcd" --version | head -1 >&2
echo "$want" >"$cache/stamp"
echo "$cache"
