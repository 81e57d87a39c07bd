#!/usr/bin/env bash
# Dump the PostgreSQL database named by DATABASE_URL into backups/<timestamp>.dump (pg_dump -Fc).
set -euo pipefail
url="${DATABASE_URL:-}"
case "$url" in
  postgres://*|postgresql://*) ;;
  ""|sqlite:*)
    echo "DATABASE_URL is not PostgreSQL: with SQLite, stop the server and copy db.sqlite3 instead." >&2
    exit 1 ;;
  *) echo "Unsupported DATABASE_URL scheme: ${url%%:*}" >&2; exit 1 ;;
esac
dir="${BACKUP_DIR:-backups}"
mkdir -p "$dir"
file="$dir/$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --file="$file" --dbname="$url"
echo "Backup written to $file ($(du -h "$file" | cut -f1))."
