-- Recordings (issue 14): one row per recording of a meeting; its files live under RECORDINGS_DIR/<id>/.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "autoRecord" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMP(3),
    "startedById" TEXT,
    "stoppedById" TEXT,
    "status" TEXT NOT NULL DEFAULT 'recording',
    "stopReason" TEXT,
    "buildProgress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "durationMs" INTEGER,
    "sizeBytes" BIGINT,
    "error" TEXT,
    "deletedAt" TIMESTAMP(3),
    "deletedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Recording_status_idx" ON "Recording"("status");

-- CreateIndex
CREATE INDEX "Recording_meetingId_idx" ON "Recording"("meetingId");

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
