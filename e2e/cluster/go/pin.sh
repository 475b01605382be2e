#!/usr/bin/env bash
# Regenerates go.mod/go.sum of the two build modules for a Kubernetes and an etcd version.
# Developer tool, not run by CI: the result is committed. Usage: pin.sh v1.35.4 v3.6.16
# k8s.io/kubernetes redirects its staging modules (k8s.io/api, ...) to ./staging with fake
# v0.0.0 requirements; a consumer must pin each one to the matching v0.X.Y tag. The list is
# derived from that version's own go.mod, never hard-coded.
set -euo pipefail
k8s=${1:?kubernetes version, e.g. v1.35.4}
etcd=${2:?etcd version, e.g. v3.6.16}
here=$(cd "$(dirname "$0")" && pwd)
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE=${GOMODCACHE:-/var/cache/barelb/go/mod} GOCACHE=${GOCACHE:-/var/cache/barelb/go/build}
export PATH=/usr/local/go/bin:$PATH
staging=v0.${k8s#v1.}

pin_apiserver() {
  local dir=$here/kube-apiserver kmod
  kmod=$(go mod download -json "k8s.io/kubernetes@$k8s" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [[ -f $kmod ]] || { echo "pin.sh: no go.mod for k8s.io/kubernetes@$k8s" >&2; exit 1; }
  rm -f "$dir/go.mod" "$dir/go.sum"
  (cd "$dir" && go mod init barelb.invalid/e2e/kube-apiserver >/dev/null 2>&1 && go mod edit -go=1.25.0)
  local m
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/src/.*#\1#p' "$kmod"); do
    (cd "$dir" && go mod edit -replace="$m=$m@$staging")
  done
  (cd "$dir" && go mod edit -require="k8s.io/kubernetes@$k8s" -tool=k8s.io/kubernetes/cmd/kube-apiserver && go mod tidy)
}

pin_etcd() {
  local dir=$here/etcd
  rm -f "$dir/go.mod" "$dir/go.sum"
  (cd "$dir" && go mod init barelb.invalid/e2e/etcd >/dev/null 2>&1 && go mod edit -go=1.25.0 \
    && go mod edit -require="go.etcd.io/etcd/server/v3@$etcd" -tool=go.etcd.io/etcd/server/v3 && go mod tidy)
}

pin_apiserver
pin_etcd
echo "pinned kube-apiserver $k8s (staging $staging) and etcd $etcd" >&2
