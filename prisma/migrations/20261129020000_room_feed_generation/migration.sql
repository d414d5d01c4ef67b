-- A room's calendar-feed link can be replaced: its token signs this generation, which rotating increments.
ALTER TABLE "EndpointRoom" ADD COLUMN "feedGeneration" INTEGER NOT NULL DEFAULT 0;
