-- Attendance per hub (issue 16): each interval names the hub that saw the site, so a hub restarting after
-- a crash closes only its own open intervals, and a survivor closes a dead hub's at its last refresh.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "AttendanceInterval" ADD COLUMN     "hubId" TEXT;

-- CreateIndex
CREATE INDEX "AttendanceInterval_hubId_leftAt_idx" ON "AttendanceInterval"("hubId", "leftAt");
