#!/bin/sh
# Installs Debian's Chromium for the HTML reporter's browser test (run as root).
# Idempotent: does nothing when a chromium binary is already on PATH.
set -eu
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium)
command -v chromium
