#!/usr/bin/env bash
# Makes real infrastructure available for the Testcontainers tests, with no container registry:
#   1. a Docker engine: uses the one that answers, else (Debian, root) installs docker.io and starts dockerd;
#   2. images: local/debian:bookworm (debootstrap), local/postgres:15 (Debian's postgresql-15),
#      local/kafka:<version> (Apache Kafka's jars from Maven Central on Debian's JRE).
#      local/rsyslog:bookworm (Debian's rsyslog: the syslog receiver of the SIEM exporter tests).
# Idempotent and cached: an image is rebuilt only when its build context changes (content-hash tag).
# MCPGATE_IMAGES=official uses the upstream images (postgres:15, apache/kafka) instead; the default
# `auto` uses them only when they are already present in the engine, so nothing is ever pulled here.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGES="$HERE/images"
LOG_DIR=${MCPGATE_INFRA_LOG_DIR:-/tmp}
export DEBIAN_FRONTEND=noninteractive
step() { printf '[infra] %s\n' "$*"; }
t0=$(date +%s)

if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
    step "installing docker.io and debootstrap from Debian's packages"
    apt-get update -q >/dev/null
    apt-get install -y -q docker.io debootstrap >/dev/null
  fi
  if ! docker info >/dev/null 2>&1; then
    step "starting dockerd (log: $LOG_DIR/mcpgate-dockerd.log)"
    setsid dockerd >"$LOG_DIR/mcpgate-dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { tail -30 "$LOG_DIR/mcpgate-dockerd.log"; echo "[infra] dockerd did not start" >&2; exit 1; }
  fi
fi
command -v debootstrap >/dev/null || { apt-get update -q >/dev/null; apt-get install -y -q debootstrap >/dev/null; }
# the console's browser tests drive Debian's Chromium
bash "$HERE/chromium.sh"

# build NAME:TAG DIR — rebuilt only when DIR's content changes; NAME:TAG-<hash> marks the build
build() {
  local ref=$1 dir=$2 h
  h=$(cd "$dir" && find . -type f ! -name '.pom-*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
  if docker image inspect "$ref-$h" >/dev/null 2>&1; then return 0; fi
  step "building $ref (context hash $h)"
  local s; s=$(date +%s)
  docker build -q --network host -t "$ref" -t "$ref-$h" "$dir" >/dev/null
  step "built $ref in $(( $(date +%s) - s )) s"
}

mode=${MCPGATE_IMAGES:-auto}
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$IMAGES/kafka/pom.xml")
official_pg="postgres:15" official_kafka="apache/kafka:$kafka_version"
if [ "$mode" = official ] || { [ "$mode" = auto ] && docker image inspect "$official_pg" >/dev/null 2>&1 && docker image inspect "$official_kafka" >/dev/null 2>&1; }; then
  [ "$mode" = official ] && { docker pull -q "$official_pg"; docker pull -q "$official_kafka"; }
  pg_image=$official_pg kafka_image=$official_kafka kafka_flavour=official
else
  if ! docker image inspect local/debian:bookworm >/dev/null 2>&1; then
    step "building local/debian:bookworm with debootstrap"
    sh "$IMAGES/base/build-base.sh" local/debian:bookworm
  fi
  build local/postgres:15 "$IMAGES/postgres"
  bash "$IMAGES/kafka/fetch-jars.sh"
  build "local/kafka:$kafka_version" "$IMAGES/kafka"
  pg_image=local/postgres:15 kafka_image="local/kafka:$kafka_version" kafka_flavour=local
fi
# the syslog receiver of the SIEM exporter tests (Debian's rsyslog; there is no official image to prefer)
if ! docker image inspect local/debian:bookworm >/dev/null 2>&1; then
  step "building local/debian:bookworm with debootstrap"
  sh "$IMAGES/base/build-base.sh" local/debian:bookworm
fi
build local/rsyslog:bookworm "$IMAGES/rsyslog"

# The harness (testing/src/images.ts) reads this file to learn which images to run.
cat >"$HERE/.images.env" <<ENV
MCPGATE_PG_IMAGE=$pg_image
MCPGATE_KAFKA_IMAGE=$kafka_image
MCPGATE_KAFKA_FLAVOUR=$kafka_flavour
MCPGATE_RSYSLOG_IMAGE=local/rsyslog:bookworm
ENV
step "ready in $(( $(date +%s) - t0 )) s: postgres=$pg_image kafka=$kafka_image rsyslog=local/rsyslog:bookworm"
