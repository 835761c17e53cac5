#!/usr/bin/env bash
# Installs a pinned helm (v3) for the Helm rendering tests into $HOME/.cache/kubeladder/bin.
#
# Debian (bookworm) has no helm package and GitHub release downloads are not reachable from
# the CI machines, so helm is built from source through the Go module proxy:
#
#   GOBIN=$HOME/.cache/kubeladder/bin go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION
#
# Idempotent: does nothing when that binary exists and reports the pinned version.
# Cold build (empty module and build caches): about 130 s on 2 CPUs (go1.26.8); see docs/ci.md.
# The tests look for helm only at $HOME/.cache/kubeladder/bin/helm and skip the Helm cases
# with a reason when it is absent, so a failure here never breaks the rest of CI.
set -euo pipefail

# v3.22.0's go.mod says `go 1.26.0`; older Go toolchains fetch 1.26 from the module proxy
# (GOTOOLCHAIN=auto) or use HELM_VERSION=v3.18.6 (go 1.24).
HELM_VERSION="${HELM_VERSION:-v3.22.0}"
BIN_DIR="${KUBELADDER_TOOLS_BIN:-$HOME/.cache/kubeladder/bin}"
HELM="$BIN_DIR/helm"

if [ -x "$HELM" ] && have=$("$HELM" version --template '{{.Version}}' 2>/dev/null); then
  # A link to a developer's own helm is kept whatever its version; a binary built here is
  # rebuilt when the pin moves.
  if [ -L "$HELM" ] || [ "$have" = "$HELM_VERSION" ]; then
    echo "install-helm: $HELM ($have) already installed; skipping"
    exit 0
  fi
  echo "install-helm: $HELM is $have, want $HELM_VERSION; rebuilding"
fi

if command -v helm >/dev/null 2>&1 && [ "${HELM_FORCE_BUILD:-}" != 1 ]; then
  # A helm on PATH (a developer machine) is reused rather than rebuilt.
  mkdir -p "$BIN_DIR"
  ln -sf "$(command -v helm)" "$HELM"
  echo "install-helm: linked $(command -v helm) ($(helm version --template '{{.Version}}' 2>/dev/null || echo '?')) to $HELM"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-helm: go is not on PATH; cannot build helm (the Helm rendering tests will be skipped)" >&2
  exit 0
fi

mkdir -p "$BIN_DIR"
start=$(date +%s)
echo "install-helm: building helm $HELM_VERSION with $(go version | cut -d' ' -f3) from the Go module proxy into $BIN_DIR"
# CGO off: a static binary, no C toolchain needed. -trimpath/-s -w: smaller, reproducible.
# The ldflags set the version `helm version` prints (otherwise it says v3.x-unreleased).
if ! GOBIN="$BIN_DIR" CGO_ENABLED=0 go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"; then
  echo "install-helm: WARNING: building helm $HELM_VERSION failed after $(($(date +%s) - start))s; the Helm rendering tests will be skipped" >&2
  exit 0
fi
end=$(date +%s)

"$HELM" version --short
echo "install-helm: built helm $HELM_VERSION in $((end - start))s"
