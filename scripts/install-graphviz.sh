#!/usr/bin/env bash
# Installs Graphviz's dot (Debian's graphviz) so the tests can render what `rbac who-can
# --format dot` prints, as a user would (`| dot -Tsvg`). Idempotent: does nothing when dot is on PATH.
set -euo pipefail
command -v dot >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends graphviz)
command -v dot
