#!/usr/bin/env bash
# Non-interactive `migrate dev --create-only`: write the SQL that takes the migrations
# folder to prisma/schema.prisma into prisma/migrations/<UTC timestamp>_<name>/.
# Usage: scripts/new-migration.sh <name>     (then: npx prisma migrate deploy)
set -euo pipefail
name="${1:?usage: scripts/new-migration.sh <name>}"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
set +e
npx prisma migrate diff --from-migrations prisma/migrations --to-schema prisma/schema.prisma --script --exit-code -o "$tmp"
rc=$?
set -e
if [ "$rc" -eq 0 ]; then echo "No schema change: no migration written."; exit 0; fi
if [ "$rc" -ne 2 ]; then exit "$rc"; fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
cp "$tmp" "$dir/migration.sql"
echo "Wrote $dir/migration.sql"
