-- Attendance per hub (issue 16): each interval names the hub that saw the site, so a hub restarting after
-- a crash closes only its own open intervals, and a survivor closes a dead hub's at its last refresh.
ALTER TABLE "AttendanceInterval" ADD COLUMN "hubId" TEXT;

CREATE INDEX "AttendanceInterval_hubId_leftAt_idx" ON "AttendanceInterval"("hubId", "leftAt");
