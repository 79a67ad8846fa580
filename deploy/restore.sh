#!/bin/sh
# Restore a dump made by backup.sh into an EMPTY database, then check it.
#   restore.sh /var/backups/rasoat/rasoat-20261123T020000Z.dump
# Connection from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (the empty target).
# RASOAT_DATABASE_URL must name the same database for the checks.
set -eu
dump="${1:?usage: restore.sh DUMP_FILE}"
pg_restore --list "$dump" > /dev/null
tables="$(psql -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
    echo "refusing to restore into a database that has tables ($tables)" >&2
    exit 2
fi
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$PGDATABASE" "$dump"
# The schema must be at a revision this release knows, and the audit chain intact.
rasoat admin migrate
# The restored log ends where the dump was taken, before the lost database's anchor: check
# its chain and anchor it there.
rasoat admin verify-audit --reanchor
echo "restored $dump into $PGDATABASE"
