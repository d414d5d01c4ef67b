-- SIP dial-out to room systems that challenge the hub (issue 17): the user name, realm and digest HA1 it answers with.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "EndpointRoom" ADD COLUMN     "sipDialHa1" TEXT,
ADD COLUMN     "sipDialRealm" TEXT,
ADD COLUMN     "sipDialUser" TEXT;
