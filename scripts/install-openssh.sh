#!/usr/bin/env bash
# Installs OpenSSH's server (Debian's openssh-server) so the sshd engine's oracle test can compare
# the effective configuration it resolves with `sshd -T`. Idempotent: does nothing when sshd exists.
set -euo pipefail
if command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ]; then
  :
else
  apt-get update && apt-get install -y --no-install-recommends openssh-server
fi
/usr/sbin/sshd -V 2>&1 || true
