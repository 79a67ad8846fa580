-- The role the API connects as: it reads and writes the records, but may only add to and read
-- the audit log. Migrations run as the database's owner, the role that creates the tables.
-- A superuser creates the role once; the owner then runs this in the Rà Soát database:
--   psql -c 'CREATE ROLE rasoat_app LOGIN' && psql -c '\password rasoat_app'
--   psql -v ON_ERROR_STOP=1 -U <owner> -d rasoat -f deploy/postgres/app-role.sql
-- It can run before the first migration (the default privileges cover the tables to come)
-- or after (the grants cover the tables already there); revision 0016 takes UPDATE, DELETE
-- and TRUNCATE on audit_log back from every role but its owner.
GRANT USAGE ON SCHEMA public TO rasoat_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rasoat_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO rasoat_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rasoat_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO rasoat_app;
DO $$
BEGIN
    IF to_regclass('public.audit_log') IS NOT NULL THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM rasoat_app;
    END IF;
    IF to_regclass('public.alembic_version') IS NOT NULL THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM rasoat_app;
    END IF;
END
$$;
