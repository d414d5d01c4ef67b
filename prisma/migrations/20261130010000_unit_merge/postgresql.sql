-- Units merged and renamed under a running hub (issue 15): a unit can be inactive and
-- record what it was merged into; invitations, attendance rows and meetings keep the
-- names of their day (scheduler/nameHistory.ts), filled here from today's names.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN     "roomName" TEXT,
ADD COLUMN     "unitName" TEXT;

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "roomName" TEXT,
ADD COLUMN     "unitName" TEXT;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "chairRoomName" TEXT,
ADD COLUMN     "chairUnitName" TEXT;

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "mergedAt" TIMESTAMP(3),
ADD COLUMN     "mergedIntoId" TEXT;

-- CreateIndex
CREATE INDEX "AuditLog_userId_idx" ON "AuditLog"("userId");

-- CreateIndex
CREATE INDEX "AuditLog_action_idx" ON "AuditLog"("action");

-- CreateIndex
CREATE INDEX "Unit_mergedIntoId_idx" ON "Unit"("mergedIntoId");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
