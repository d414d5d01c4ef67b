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

-- Names of their day, filled from today's names (added by hand: the same statements as migration.sql).
UPDATE "Meeting" SET
  "chairUnitName" = (SELECT "name" FROM "Unit" WHERE "Unit"."id" = "Meeting"."chairUnitId"),
  "chairRoomName" = (SELECT "name" FROM "EndpointRoom" WHERE "EndpointRoom"."id" = "Meeting"."chairRoomId");
UPDATE "Invitation" SET
  "roomName" = (SELECT "name" FROM "EndpointRoom" WHERE "EndpointRoom"."id" = "Invitation"."roomId"),
  "unitName" = (SELECT "Unit"."name" FROM "EndpointRoom" JOIN "Unit" ON "Unit"."id" = "EndpointRoom"."unitId" WHERE "EndpointRoom"."id" = "Invitation"."roomId");
UPDATE "Attendance" SET
  "roomName" = (SELECT "name" FROM "EndpointRoom" WHERE "EndpointRoom"."id" = "Attendance"."roomId"),
  "unitName" = (SELECT "Unit"."name" FROM "EndpointRoom" JOIN "Unit" ON "Unit"."id" = "EndpointRoom"."unitId" WHERE "EndpointRoom"."id" = "Attendance"."roomId");
