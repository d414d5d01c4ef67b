-- The meetings' chat (contract/chat.ts): each message numbered in its meeting's order.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- CreateTable
CREATE TABLE "ChatMessage" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "roomId" TEXT NOT NULL,
    "roomName" TEXT NOT NULL,
    "fromChair" BOOLEAN NOT NULL,
    "userId" TEXT,
    "privateRoomId" TEXT,
    "text" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChatMessage_meetingId_seq_key" ON "ChatMessage"("meetingId", "seq");

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;
