#!/bin/sh
# Dump the database (custom format, compressed) to $BACKUP_DIR and prune old dumps.
# Connection from the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
set -eu
BACKUP_DIR="${BACKUP_DIR:-/var/backups/rasoat}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-30}"
mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/rasoat-$stamp.dump"
pg_dump --format=custom --compress=6 --no-owner --file="$target.partial"
# A dump is only trusted once pg_restore can read its table of contents.
pg_restore --list "$target.partial" > /dev/null
mv "$target.partial" "$target"
find "$BACKUP_DIR" -name 'rasoat-*.dump' -mtime "+$KEEP_DAYS" -delete
echo "backup written: $target"
