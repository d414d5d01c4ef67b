-- Recordings (issue 14): one row per recording of a meeting; its files live under RECORDINGS_DIR/<id>/.
ALTER TABLE "Meeting" ADD COLUMN "autoRecord" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "Recording" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "meetingId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" DATETIME,
    "startedById" TEXT,
    "stoppedById" TEXT,
    "status" TEXT NOT NULL DEFAULT 'recording',
    "stopReason" TEXT,
    "buildProgress" REAL NOT NULL DEFAULT 0,
    "durationMs" INTEGER,
    "sizeBytes" BIGINT,
    "error" TEXT,
    "deletedAt" DATETIME,
    "deletedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Recording_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE INDEX "Recording_meetingId_idx" ON "Recording"("meetingId");
CREATE INDEX "Recording_status_idx" ON "Recording"("status");
