-- SIP room systems (issue 17): a room's SIP user name, its digest HA1 and its address for dial-out.
ALTER TABLE "EndpointRoom" ADD COLUMN "sipUser" TEXT;
ALTER TABLE "EndpointRoom" ADD COLUMN "sipHa1" TEXT;
ALTER TABLE "EndpointRoom" ADD COLUMN "sipUri" TEXT;
CREATE UNIQUE INDEX "EndpointRoom_sipUser_key" ON "EndpointRoom"("sipUser");
