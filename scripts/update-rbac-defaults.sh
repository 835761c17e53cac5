#!/usr/bin/env bash
# Regenerates src/engines/rbac/defaults/v<major>.<minor>.json: the RBAC objects (ClusterRoles,
# ClusterRoleBindings, Roles, RoleBindings) that kube-apiserver creates at startup, for the
# Kubernetes release pinned in tools/test-cluster/go.mod. kubeladder's RBAC engine falls back
# to them when the scanned manifests lack them (src/engines/rbac/defaults/index.ts).
#
# It builds and runs tools/test-cluster/cmd/dump-rbac-defaults, which prints upstream's
# k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/bootstrappolicy objects as the API
# server's post-start hook creates them (see the comment at the top of its main.go).
#
# The JSON is committed: CI (.ci/run) never runs this script, and needs no Go for it;
# test/cluster/rbac-defaults.slow.test.ts proves the committed file equals what the pinned
# API server creates. After moving tools/test-cluster to another release, run this script
# and commit the new file (the old minor's file can stay, for clusters still on it).
#
# Needs the machine's Go (>= the go directive of tools/test-cluster/go.mod) and the module's
# dependencies, from the Go module cache or the module proxy. With a warm Go build cache
# (scripts/install-test-cluster.sh has run) it takes a few seconds.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
mod_dir="$here/tools/test-cluster"
out_dir="$here/src/engines/rbac/defaults"
log() { echo "update-rbac-defaults: $*" >&2; }
die() {
  echo "update-rbac-defaults: ERROR: $*" >&2
  exit 1
}

k8s_version=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$mod_dir/go.mod")
[[ "$k8s_version" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+ ]] || die "cannot read the k8s.io/kubernetes version from $mod_dir/go.mod (got '$k8s_version')"
minor="v${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
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

log "building tools/test-cluster/cmd/dump-rbac-defaults (k8s.io/kubernetes $k8s_version) with $("$GO" env GOVERSION)"
(cd "$mod_dir" && "$GO" build -trimpath -o "$tmp/dump-rbac-defaults" ./cmd/dump-rbac-defaults) ||
  die "go build failed in $mod_dir"

"$tmp/dump-rbac-defaults" >"$tmp/out.json" 2>"$tmp/stderr" || {
  cat "$tmp/stderr" >&2
  die "dump-rbac-defaults failed"
}
cat "$tmp/stderr" >&2
# The binary reports the k8s.io/kubernetes it was built from: it must be go.mod's.
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
