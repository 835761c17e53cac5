#!/bin/sh
# Installs wrk (Debian's wrk package), the HTTP load generator of bench/webhook/run.mjs (run as root).
# Not named install-*.sh: CI runs those, and no test needs wrk.
# Idempotent: does nothing when wrk is already on PATH.
set -eu
command -v wrk >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends wrk)
command -v wrk
