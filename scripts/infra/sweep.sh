#!/usr/bin/env bash
# Removes containers that the test harness started and a crashed or killed test left behind
# (no Ryuk reaper can run here). Only containers labelled by our harness are touched.
set -uo pipefail
docker info >/dev/null 2>&1 || exit 0
left=$(docker ps -aq --filter label=dev.mcpgate.test=true)
if [ -n "$left" ]; then
  echo "[infra] removing $(echo "$left" | wc -l) leftover test container(s)"
  echo "$left" | xargs -r docker rm -f -v >/dev/null
fi
