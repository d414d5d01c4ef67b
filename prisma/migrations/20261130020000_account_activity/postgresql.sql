-- Administration (issue 15): when each account last logged in, and each room's last technical check (its outcome as JSON, contract/rest/techCheck.ts).
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "EndpointRoom" ADD COLUMN     "lastTechCheckAt" TIMESTAMP(3),
ADD COLUMN     "lastTechCheckResult" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastLoginAt" TIMESTAMP(3);
