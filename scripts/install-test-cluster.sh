#!/usr/bin/env bash
# Builds the real Kubernetes control plane that the live-cluster tests (test/cluster/*.slow.test.ts,
# through test/helpers/cluster.ts) run: kube-apiserver, kube-controller-manager and etcd.
#
# Nothing can be downloaded from GitHub or a container registry here, so the binaries are built
# from the Go module proxy with the machine's Go, from the module in tools/test-cluster/ whose
# go.mod/go.sum pin the versions (k8s.io/kubernetes v1.37.2 with its staging modules replaced by
# the published v0.37.2, and etcd v3.7.0, the version Kubernetes 1.37 recommends).
#
# Output: $HOME/.cache/kubeladder/test-cluster/<k8s-version>/{kube-apiserver,kube-controller-manager,etcd}
# (override the root with KUBELADDER_TEST_CLUSTER_CACHE). Idempotent: skipped when the three
# binaries are there and were built from the same go.mod/go.sum (a stamp file records their hash).
# KUBELADDER_TEST_CLUSTER_REBUILD=1 forces a build.
#
# Timings on the 2-core, 24 GiB CI machine (go1.26.8, CGO off), measured 2026-11:
#   cold (empty Go module cache, empty Go build cache):  401 s (6 min 41 s) = module download 7 s
#                                                         + compile/link 393 s (527 s user, 119 s sys)
#   empty ~/.cache/kubeladder/test-cluster, Go build cache warm (only the link runs):  12 s
#   cached re-run (binaries present, stamp matches):     0.02 s
# Peak memory 2.6 GB (the kube-apiserver link). Disk: binaries 238 MB; a cold build adds about
# 3.6 GB to the Go build cache and 590 MB to the Go module cache. The binaries are bit-for-bit
# reproducible (the same sha256 from a cold and a warm build).
#
# The cluster tests are required, so any failure here exits non-zero with a message saying what
# broke.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
mod_dir="$here/tools/test-cluster"
log() { echo "install-test-cluster: $*"; }
die() {
  echo "install-test-cluster: ERROR: $*" >&2
  echo "install-test-cluster: the live-cluster tests (test/cluster/*.slow.test.ts) need these binaries; fix the build above or see tools/test-cluster/README.md" >&2
  exit 1
}
trap 'die "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

t0=$(date +%s)

# The pins live in go.mod only; read them from there.
k8s_version=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$mod_dir/go.mod")
etcd_version=$(awk '$1 == "go.etcd.io/etcd/server/v3" && $2 ~ /^v/ { print $2; exit }' "$mod_dir/go.mod")
[ -n "$k8s_version" ] && [ -n "$etcd_version" ] || die "cannot read the k8s.io/kubernetes and etcd versions from $mod_dir/go.mod"

cache_root="${KUBELADDER_TEST_CLUSTER_CACHE:-$HOME/.cache/kubeladder/test-cluster}"
dest="$cache_root/$k8s_version"
stamp_want="k8s=$k8s_version etcd=$etcd_version mod=$(cat "$mod_dir/go.mod" "$mod_dir/go.sum" | sha256sum | cut -c1-16)"

if [ "${KUBELADDER_TEST_CLUSTER_REBUILD:-}" != 1 ] &&
  [ -x "$dest/kube-apiserver" ] && [ -x "$dest/kube-controller-manager" ] && [ -x "$dest/etcd" ] &&
  [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp_want" ]; then
  log "kube-apiserver/kube-controller-manager $k8s_version and etcd $etcd_version already in $dest; skipping ($(($(date +%s) - t0))s)"
  exit 0
fi

# The machine's Go: $GO if set, else on PATH, else the usual install location.
if [ -n "${GO:-}" ]; then
  [ -x "$GO" ] || die "GO=$GO is not an executable Go toolchain"
else
  GO=$(command -v go || true)
  [ -n "$GO" ] || GO=/usr/local/go/bin/go
  [ -x "$GO" ] || die "no Go toolchain (not on PATH, not at /usr/local/go/bin/go); Go >= 1.26 is needed to build Kubernetes $k8s_version"
fi
go_version=$("$GO" env GOVERSION)
need_go=$(awk '$1 == "go" { print $2; exit }' "$mod_dir/go.mod")
# sort -V puts the smaller first: the toolchain must not be older than the go directive.
if [ "$(printf '%s\n%s\n' "go$need_go" "$go_version" | sort -V | head -1)" != "go$need_go" ]; then
  die "$go_version is older than go $need_go, which Kubernetes $k8s_version requires"
fi

log "building Kubernetes $k8s_version (kube-apiserver, kube-controller-manager) and etcd $etcd_version with $go_version into $dest"

# Reproducible: the module's own go.sum only (-mod=readonly), no toolchain switch, no workspace,
# static binaries (no C toolchain), paths trimmed. The caller's GOFLAGS are replaced on purpose.
export GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0

cd "$mod_dir"
t_dl=$(date +%s)
# go.sum is checked on every download; a missing or mismatching entry fails here.
"$GO" mod download || die "downloading the modules in $mod_dir/go.mod from the Go module proxy failed"
log "modules ready in $(($(date +%s) - t_dl))s"

# /version, the version-skew checks and the emulation version / feature-gate defaults all come
# from these variables (what hack/lib/version.sh sets for a release build). buildDate is the
# module's publication time so the output does not depend on when it was built.
build_date=$("$GO" list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes)
minor=$(echo "$k8s_version" | cut -d. -f2)
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${build_date:-1970-01-01T00:00:00Z}"
done

# Build into a fresh directory beside the destination, then swap it in, so an interrupted or
# concurrent run never leaves half a set of binaries behind.
mkdir -p "$cache_root"
tmp=$(mktemp -d "$cache_root/.build-$k8s_version.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
t_build=$(date +%s)
# One `go build` for the three mains, so the packages they share compile once, in parallel.
"$GO" build -trimpath -ldflags "$ldflags" -o "$tmp/" ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/etcd ||
  die "go build failed for Kubernetes $k8s_version / etcd $etcd_version"
log "compiled and linked in $(($(date +%s) - t_build))s"

# Check what was built reports the pinned versions.
got=$("$tmp/kube-apiserver" --version 2>&1 || true)
[ "$got" = "Kubernetes $k8s_version" ] || die "kube-apiserver --version says '$got', want 'Kubernetes $k8s_version'"
got=$("$tmp/kube-controller-manager" --version 2>&1 || true)
[ "$got" = "Kubernetes $k8s_version" ] || die "kube-controller-manager --version says '$got', want 'Kubernetes $k8s_version'"
got=$("$tmp/etcd" --version 2>&1 | awk '/^etcd Version:/ { print $3 }' || true)
[ "v$got" = "$etcd_version" ] || die "etcd --version says '$got', want '${etcd_version#v}'"

echo "$stamp_want" >"$tmp/.stamp"
rm -rf "$dest.old"
if [ -e "$dest" ]; then mv "$dest" "$dest.old"; fi
mv "$tmp" "$dest"
rm -rf "$dest.old"
trap - EXIT

log "$(cd "$dest" && du -sh . | cut -f1) in $dest: $(cd "$dest" && ls | tr '\n' ' ')"
log "done in $(($(date +%s) - t0))s"
