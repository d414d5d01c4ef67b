-- SIP room systems (issue 17): a room's SIP user name, its digest HA1 and its address for dial-out.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "EndpointRoom" ADD COLUMN     "sipHa1" TEXT,
ADD COLUMN     "sipUri" TEXT,
ADD COLUMN     "sipUser" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "EndpointRoom_sipUser_key" ON "EndpointRoom"("sipUser");
