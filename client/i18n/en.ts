// English strings, the same modules as vi.ts spread in the same order: the
// type `Messages` makes every Vietnamese key required here.
import { accountsEn } from './accounts.en.ts';
import { adminEn } from './admin.ts';
import { archiveEn } from './archive.ts';
import { boardEn } from './board.ts';
import { chairControlsEn } from './chairControls.ts';
import { chatEn } from './chat.ts';
import { commonEn } from './common.ts';
import { consoleEn } from './console.ts';
import { integrationEn } from './integration.ts';
import { meetingEn } from './meeting.ts';
import { presentingEn } from './presenting.ts';
import { recordingEn } from './recording.ts';
import { roomEn } from './room.ts';
import { roomCallEn } from './roomCall.ts';
import { roomSipEn } from './roomSip.ts';
import { secretariatEn } from './secretariat.ts';
import { signInEn } from './signIn.ts';
import { unitsAdminEn } from './unitsAdmin.ts';
import { unitTreeEn } from './unitTree.ts';
import { upstreamEn } from './upstream.ts';
import type { Messages } from './vi.ts';

export const en: Messages = {
  ...accountsEn,
  ...archiveEn,
  ...integrationEn,
  ...roomSipEn,
  ...commonEn,
  ...chatEn,
  ...signInEn,
  ...unitTreeEn,
  ...boardEn,
  ...meetingEn,
  ...secretariatEn,
  ...roomEn,
  ...adminEn,
  ...consoleEn,
  ...presentingEn,
  ...chairControlsEn,
  ...unitsAdminEn,
  ...recordingEn,
  ...roomCallEn,
  ...upstreamEn,
};
