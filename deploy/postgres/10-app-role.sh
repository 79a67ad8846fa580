#!/bin/sh
# First start of the database container (docker-entrypoint-initdb.d): the API's own role,
# with the password from RASOAT_APP_DB_PASSWORD, before any table exists.
set -eu
# POSTGRES_USER is the superuser that owns the database and runs the migrations.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$RASOAT_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE rasoat_app LOGIN PASSWORD :'password';
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -f /rasoat/app-role.sql
