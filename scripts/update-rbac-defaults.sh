#!/usr/bin/env bash
# Regenerates src/engines/rbac/defaults/v<major>.<minor>.json: the RBAC objects (ClusterRoles,
# ClusterRoleBindings, Roles, RoleBindings) that kube-apiserver creates at startup, for one
# Kubernetes release. kubeladder's RBAC engine falls back to them when the scanned manifests
# lack them (src/engines/rbac/defaults/index.ts), using the file of the cluster's minor.
#
# Usage:
#   scripts/update-rbac-defaults.sh            the release pinned in tools/test-cluster/go.mod
#   scripts/update-rbac-defaults.sh v1.34.12   another release, e.g. one of an older minor
#
# It builds and runs tools/test-cluster/cmd/dump-rbac-defaults, which prints upstream's
# k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/bootstrappolicy objects as the API
# server's post-start hook creates them (see the comment at the top of its main.go).
#
# Without an argument it builds inside the Go module tools/test-cluster, against its go.mod and
# go.sum. With a version it builds the same main.go in a temporary Go module (a mktemp
# directory, removed on exit; tools/test-cluster is not touched) that requires
# k8s.io/kubernetes at that version and replaces each staging module that upstream's go.mod for
# that release replaces with ./staging/src/k8s.io/X (those replaces do not apply to a
# consumer) with the published k8s.io/X v0.<minor>.<patch>; `go mod tidy` resolves the rest,
# from the Go module cache or the module proxy (and the checksum database through it). Use a
# version the proxy serves: `GOFLAGS= go list -m -versions k8s.io/kubernetes` lists some (the
# proxy's list has been seen to leave out patch releases it serves, e.g. v1.34.12; the Go module
# cache's list, $(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/list, may know more).
#
# The JSON is committed: CI (.ci/run) never runs this script, and needs no Go for it;
# test/cluster/rbac-defaults.slow.test.ts proves the committed file of the pinned minor equals
# what the pinned API server creates. After moving tools/test-cluster to another release, run
# this script and commit the new file (the old minor's file can stay, for clusters still on it).
# Files of other minors are made with a version argument (the newest patch release of that
# minor that the proxy serves); nothing checks them against a running API server. The committed
# ones come from v1.33.13, v1.34.12, v1.35.8 and v1.36.5 (the earlier patches v1.34.4, v1.35.4
# and v1.36.3 gave the same files).
#
# Needs the machine's Go (>= the go directive of tools/test-cluster/go.mod, and of upstream's
# go.mod for a version argument) and the module's dependencies, from the Go module cache or the
# module proxy. With a warm Go build cache (scripts/install-test-cluster.sh has run) the pinned
# release takes a few seconds; another release downloads and compiles its own dependencies
# (minutes, the first time).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
mod_dir="$here/tools/test-cluster"
out_dir="$here/src/engines/rbac/defaults"
log() { echo "update-rbac-defaults: $*" >&2; }
die() {
  echo "update-rbac-defaults: ERROR: $*" >&2
  exit 1
}

case $# in
0) k8s_version=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$mod_dir/go.mod")
  [[ "$k8s_version" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+ ]] || die "cannot read the k8s.io/kubernetes version from $mod_dir/go.mod (got '$k8s_version')"
  pinned=1 ;;
1) k8s_version=$1
  [[ "$k8s_version" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || die "not a Kubernetes release version (vMAJOR.MINOR.PATCH): '$k8s_version'"
  [ "${BASH_REMATCH[1]}" = 1 ] || die "only Kubernetes 1.x is supported (got '$k8s_version')"
  pinned=0 ;;
*) die "usage: $0 [vMAJOR.MINOR.PATCH]" ;;
esac
minor="v${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
# The staging modules' version for the release: v1.34.4 -> v0.34.4.
staging_version="v0.${BASH_REMATCH[2]}.${k8s_version##*.}"
out="$out_dir/$minor.json"

if [ -n "${GO:-}" ]; then
  [ -x "$GO" ] || die "GO=$GO is not an executable Go toolchain"
else
  GO=$(command -v go || true)
  [ -n "$GO" ] || GO=/usr/local/go/bin/go
  [ -x "$GO" ] || die "no Go toolchain (not on PATH, not at /usr/local/go/bin/go)"
fi

# As scripts/install-test-cluster.sh builds: the module's own go.sum, no toolchain switch, no
# workspace, no C toolchain.
export GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$pinned" = 1 ]; then
  log "building tools/test-cluster/cmd/dump-rbac-defaults (k8s.io/kubernetes $k8s_version) with $("$GO" env GOVERSION)"
  (cd "$mod_dir" && "$GO" build -trimpath -o "$tmp/dump-rbac-defaults" ./cmd/dump-rbac-defaults) ||
    die "go build failed in $mod_dir"
else
  # A module of our own for that release, in the temporary directory.
  build_dir="$tmp/mod"
  mkdir -p "$build_dir"
  log "fetching k8s.io/kubernetes $k8s_version"
  # Outside any module: `go mod download` of one module version (its go.mod and source).
  upstream_json=$(cd "$tmp" && GOFLAGS=-buildvcs=false "$GO" mod download -json "k8s.io/kubernetes@$k8s_version") ||
    die "cannot download k8s.io/kubernetes@$k8s_version (is it a release the module proxy serves? GOFLAGS= go list -m -versions k8s.io/kubernetes)"
  upstream_gomod=$(printf '%s\n' "$upstream_json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [ -f "$upstream_gomod" ] || die "go mod download printed no go.mod for k8s.io/kubernetes@$k8s_version: $upstream_json"
  # Upstream's go directive (the Go its release needs), and the staging modules it replaces
  # with local paths: `\tk8s.io/api => ./staging/src/k8s.io/api`.
  go_directive=$(awk '$1 == "go" && NF == 2 { print $2; exit }' "$upstream_gomod")
  [ -n "$go_directive" ] || die "no go directive in $upstream_gomod"
  staging=$(awk '$2 == "=>" && $3 ~ /^\.\/staging\/src\// { print $1 }' "$upstream_gomod" | sort -u)
  [ -n "$staging" ] || die "no ./staging replaces in $upstream_gomod"
  {
    echo "// Temporary module of scripts/update-rbac-defaults.sh: dump-rbac-defaults for k8s.io/kubernetes $k8s_version."
    echo "module dump-rbac-defaults"
    echo
    echo "go $go_directive"
    echo
    echo "require k8s.io/kubernetes $k8s_version"
    echo
    echo "replace ("
    for m in $staging; do echo "	$m => $m $staging_version"; done
    echo ")"
  } >"$build_dir/go.mod"
  cp "$mod_dir/cmd/dump-rbac-defaults/main.go" "$build_dir/main.go"
  log "resolving the dependencies of k8s.io/kubernetes $k8s_version ($(echo "$staging" | wc -l) staging modules at $staging_version) with $("$GO" env GOVERSION)"
  (cd "$build_dir" && GOFLAGS=-buildvcs=false "$GO" mod tidy) ||
    die "go mod tidy failed for k8s.io/kubernetes $k8s_version (in $build_dir)"
  log "building dump-rbac-defaults (k8s.io/kubernetes $k8s_version)"
  (cd "$build_dir" && "$GO" build -trimpath -o "$tmp/dump-rbac-defaults" .) ||
    die "go build failed for k8s.io/kubernetes $k8s_version (in $build_dir)"
fi

"$tmp/dump-rbac-defaults" >"$tmp/out.json" 2>"$tmp/stderr" || {
  cat "$tmp/stderr" >&2
  die "dump-rbac-defaults failed"
}
cat "$tmp/stderr" >&2
# The binary reports the k8s.io/kubernetes it was built from: it must be the one asked for.
grep -q "k8s.io/kubernetes $k8s_version:" "$tmp/stderr" ||
  die "dump-rbac-defaults was not built from k8s.io/kubernetes $k8s_version (see its message above)"
[ "$(head -c 1 "$tmp/out.json")" = "{" ] && [ "$(tail -n 1 "$tmp/out.json")" = "]}" ] ||
  die "dump-rbac-defaults printed something other than a JSON List"

mkdir -p "$out_dir"
if cmp -s "$tmp/out.json" "$out" 2>/dev/null; then
  log "$out is up to date ($(wc -c <"$out") bytes)"
else
  mv "$tmp/out.json" "$out"
  log "wrote $out ($(wc -c <"$out") bytes, $(($(wc -l <"$out") - 2)) objects)"
fi
