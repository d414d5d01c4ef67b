-- The meetings' chat (contract/chat.ts): each message numbered in its meeting's order.
CREATE TABLE "ChatMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "meetingId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "roomId" TEXT NOT NULL,
    "roomName" TEXT NOT NULL,
    "fromChair" BOOLEAN NOT NULL,
    "userId" TEXT,
    "privateRoomId" TEXT,
    "text" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "ChatMessage_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "ChatMessage_meetingId_seq_key" ON "ChatMessage"("meetingId", "seq");
