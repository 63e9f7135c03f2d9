#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests (playwright-core drives /usr/bin/chromium; no
# browser is ever downloaded from anywhere but Debian's packages). Idempotent: a no-op when present.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if [ -x /usr/bin/chromium ]; then exit 0; fi
printf '[infra] installing chromium from Debian'"'"'s packages\n'
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
