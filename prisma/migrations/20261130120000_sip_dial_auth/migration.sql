-- SIP dial-out to room systems that challenge the hub (issue 17): the user name, realm and digest HA1 it answers with.
ALTER TABLE "EndpointRoom" ADD COLUMN "sipDialUser" TEXT;
ALTER TABLE "EndpointRoom" ADD COLUMN "sipDialRealm" TEXT;
ALTER TABLE "EndpointRoom" ADD COLUMN "sipDialHa1" TEXT;
