#!/usr/bin/env bash
# Copies Kafka's broker jars and their runtime dependencies from Maven Central into ./libs.
# Needs a JDK and Maven (installed from Debian's packages when missing). Idempotent: a marker file
# records the pom's hash, so the jars are resolved again only when pom.xml changes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
marker="libs/.pom-$(sha256sum pom.xml | cut -c1-12)"
[ -f "$marker" ] && exit 0
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven openjdk-17-jdk-headless >/dev/null
fi
rm -rf libs
mvn -B -q dependency:copy-dependencies -DoutputDirectory="$HERE/libs" -DincludeScope=runtime
touch "$marker"
echo "kafka jars: $(ls libs/*.jar | wc -l) files in $HERE/libs"
