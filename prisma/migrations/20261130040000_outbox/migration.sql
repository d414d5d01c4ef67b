-- Invitations by e-mail and webhooks (issue 18): the rooms' contacts, the meetings' iCalendar sequence,
-- the outbox of deliveries and the registered webhooks.
ALTER TABLE "EndpointRoom" ADD COLUMN "contactEmails" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Meeting" ADD COLUMN "sequence" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "OutboxDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "orderingKey" TEXT NOT NULL,
    "meetingId" TEXT,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "lastStatusCode" INTEGER,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "OutboxDelivery_status_nextAttemptAt_idx" ON "OutboxDelivery"("status", "nextAttemptAt");
CREATE INDEX "OutboxDelivery_meetingId_idx" ON "OutboxDelivery"("meetingId");
CREATE INDEX "OutboxDelivery_kind_target_idx" ON "OutboxDelivery"("kind", "target");

CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "description" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
