#!/bin/sh
# Installs xmllint (Debian's libxml2-utils) for the JUnit reporter's well-formedness test (run as root).
# Idempotent: does nothing when xmllint is already on PATH.
set -eu
command -v xmllint >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends libxml2-utils)
command -v xmllint
