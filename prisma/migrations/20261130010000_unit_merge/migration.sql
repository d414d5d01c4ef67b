-- Units merged and renamed under a running hub (issue 15): a unit can be inactive and
-- record what it was merged into; invitations, attendance rows and meetings keep the
-- names of their day (scheduler/nameHistory.ts), filled here from today's names.
ALTER TABLE "Unit" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Unit" ADD COLUMN "mergedIntoId" TEXT REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Unit" ADD COLUMN "mergedAt" DATETIME;

ALTER TABLE "Meeting" ADD COLUMN "chairUnitName" TEXT;
ALTER TABLE "Meeting" ADD COLUMN "chairRoomName" TEXT;
ALTER TABLE "Invitation" ADD COLUMN "roomName" TEXT;
ALTER TABLE "Invitation" ADD COLUMN "unitName" TEXT;
ALTER TABLE "Attendance" ADD COLUMN "roomName" TEXT;
ALTER TABLE "Attendance" ADD COLUMN "unitName" TEXT;

UPDATE "Meeting" SET
  "chairUnitName" = (SELECT "name" FROM "Unit" WHERE "Unit"."id" = "Meeting"."chairUnitId"),
  "chairRoomName" = (SELECT "name" FROM "EndpointRoom" WHERE "EndpointRoom"."id" = "Meeting"."chairRoomId");
UPDATE "Invitation" SET
  "roomName" = (SELECT "name" FROM "EndpointRoom" WHERE "EndpointRoom"."id" = "Invitation"."roomId"),
  "unitName" = (SELECT "Unit"."name" FROM "EndpointRoom" JOIN "Unit" ON "Unit"."id" = "EndpointRoom"."unitId" WHERE "EndpointRoom"."id" = "Invitation"."roomId");
UPDATE "Attendance" SET
  "roomName" = (SELECT "name" FROM "EndpointRoom" WHERE "EndpointRoom"."id" = "Attendance"."roomId"),
  "unitName" = (SELECT "Unit"."name" FROM "EndpointRoom" JOIN "Unit" ON "Unit"."id" = "EndpointRoom"."unitId" WHERE "EndpointRoom"."id" = "Attendance"."roomId");

CREATE INDEX "Unit_mergedIntoId_idx" ON "Unit"("mergedIntoId");
CREATE INDEX "AuditLog_action_idx" ON "AuditLog"("action");
CREATE INDEX "AuditLog_userId_idx" ON "AuditLog"("userId");
