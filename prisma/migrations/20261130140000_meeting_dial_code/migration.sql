-- A numeric meeting code for room systems' keypads (issue 17, docs/sip.md): sip:<code>@hub.
-- Existing open meetings get theirs when the scheduler starts (scheduler/dialCodes.ts), not here:
-- the code is random and retried on a clash, which plain SQL cannot do alike in SQLite and PostgreSQL.
ALTER TABLE "Meeting" ADD COLUMN "dialCode" TEXT;
CREATE UNIQUE INDEX "Meeting_dialCode_key" ON "Meeting"("dialCode");
