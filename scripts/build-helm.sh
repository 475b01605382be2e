#!/usr/bin/env bash
# Builds helm from the Go module proxy into a per-machine cache, once (`go install`: helm's go.mod
# has no replace directives since v3.7, so no module of our own is needed).
# Output: $BARELB_HELM_CACHE (default /var/cache/barelb/helm-<version>)/{helm,stamp}.
# Prints the helm binary's path on stdout; progress and timing go to stderr. Reuses the binary
# while the stamp (version + `go version`) matches; a `flock` serialises concurrent builds.
#
# A plain `go install` leaves helm 3's default Kubernetes version at v1.20.0 (helm's Makefile sets
# it with ldflags). We set the version string only; callers pass `--kube-version 1.35.0` to
# `helm lint` and `helm template`, which is explicit and does not depend on how helm was built.
set -euo pipefail

version=${BARELB_HELM_VERSION:-v3.22.0}
major=${version%%.*}
cache=${BARELB_HELM_CACHE:-/var/cache/barelb/helm-$version}

export PATH=/usr/local/go/bin:$PATH
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE=${BARELB_GOMODCACHE:-/var/cache/barelb/go/mod}
export GOCACHE=${BARELB_GOCACHE:-/var/cache/barelb/go/build}
export GOBIN=$cache
command -v go >/dev/null || { echo "build-helm: no go on PATH (expected /usr/local/go/bin/go)" >&2; exit 1; }

want="helm $version
$(go version)"
fresh() { [[ -x $cache/helm && -f $cache/stamp ]] && [[ $(cat "$cache/stamp") == "$want" ]]; }

mkdir -p "$cache" "$GOMODCACHE" "$GOCACHE"
exec 9>"$cache.lock"
flock -w 1800 9 || { echo "build-helm: timed out waiting for $cache.lock" >&2; exit 1; }
if fresh; then echo "$cache/helm"; exit 0; fi

rm -f "$cache/stamp" "$cache/helm"
start=$SECONDS
echo "build-helm: $(date +%T) go install helm.sh/helm/$major/cmd/helm@$version (2 cores: a few minutes cold)" >&2
# Outside any module, so the repository's files are never read or written.
(cd / && go install -trimpath -ldflags "-s -w -X helm.sh/helm/$major/internal/version.version=$version" \
  "helm.sh/helm/$major/cmd/helm@$version") >&2
echo "build-helm: $(date +%T) built in $((SECONDS - start)) s" >&2

"$cache/helm" version >&2
echo "$want" >"$cache/stamp"
echo "$cache/helm"
