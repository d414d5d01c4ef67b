-- Administration (issue 15): when each account last logged in, and each room's last technical check (its outcome as JSON, contract/rest/techCheck.ts).
ALTER TABLE "User" ADD COLUMN "lastLoginAt" DATETIME;
ALTER TABLE "EndpointRoom" ADD COLUMN "lastTechCheckAt" DATETIME;
ALTER TABLE "EndpointRoom" ADD COLUMN "lastTechCheckResult" TEXT;
