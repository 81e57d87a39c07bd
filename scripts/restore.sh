#!/usr/bin/env bash
# Restore a pg_dump -Fc file into the PostgreSQL database named by DATABASE_URL.
# Destructive: existing objects are dropped first, so CONFIRM=yes is required.
set -euo pipefail
file="${1:-${FILE:-}}"
url="${DATABASE_URL:-}"
if [ -z "$file" ] || [ ! -f "$file" ]; then
  echo "Usage: make restore FILE=backups/<timestamp>.dump CONFIRM=yes (file not found: '$file')" >&2
  exit 1
fi
case "$url" in
  postgres://*|postgresql://*) ;;
  *) echo "DATABASE_URL is not PostgreSQL: with SQLite, copy the saved db.sqlite3 back instead." >&2; exit 1 ;;
esac
if [ "${CONFIRM:-}" != "yes" ]; then
  echo "Restoring $file will replace the data in the database of DATABASE_URL." >&2
  echo "Run again with CONFIRM=yes to proceed." >&2
  exit 1
fi
pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$url" "$file"
echo "Restored $file."
