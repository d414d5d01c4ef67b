// English strings, the same modules as vi.ts spread in the same order: the
// type `Messages` makes every Vietnamese key required here.
import { accountsEn } from './accounts.en.ts';
import { adminEn } from './admin.ts';
import { archiveEn } from './archive.ts';
import { boardEn } from './board.ts';
import { chatEn } from './chat.ts';
import { commonEn } from './common.ts';
import { consoleEn } from './console.ts';
import { integrationEn } from './integration.ts';
import { meetingEn } from './meeting.ts';
import { presentingEn } from './presenting.ts';
import { roomEn } from './room.ts';
import { roomSipEn } from './roomSip.ts';
import { secretariatEn } from './secretariat.ts';
import { signInEn } from './signIn.ts';
import { unitsAdminEn } from './unitsAdmin.ts';
import { unitTreeEn } from './unitTree.ts';
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
  chairRemove: 'Remove from meeting',
  chairRemoveConfirm: 'Remove {name} from the meeting?',
  chairLock: 'Lock meeting',
  chairUnlock: 'Unlock meeting',
  chairEnd: 'End meeting',
  chairEndConfirm: 'End the meeting for every site?',
  chairMosaic: 'Site pictures',
  chairMosaicPage: 'Page {page}/{pages}',
  chairPrevPage: 'Previous page',
  chairNextPage: 'Next page',
  chairSelected: 'Selected site: {name}',
  chairOnStageNow: 'On the main stage: {name}',
  ...unitsAdminEn,
  recordingOn: 'Recording',
  recordingStart: 'Record',
  recordingStop: 'Stop recording',
  recordingStopConfirm: 'Stop recording the meeting? What was recorded will be built into one MP4 file.',
  meetingAutoRecord: 'Record automatically at the start',
  roomCall: 'Call',
  roomCallTitle: 'The hub calls this SIP room',
  roomCallCalling: 'Calling…',
  roomCallRedialling: 'Calling again ({attempt})…',
  roomCallFailed: 'Not answered: {answer}',
  roomCallWaiting: 'Call dropped; calling again at {time}',
  upstreamTitle: 'Relay an upstream meeting',
  upstreamDeployment: 'Upstream deployment',
  upstreamMeetingId: 'Its meeting id',
  upstreamLink: 'Link',
  upstreamUnlink: 'Unlink',
  upstreamConnecting: 'Connecting to {name}…',
  upstreamLive: 'Relaying {name}; the chair site is sent up.',
  upstreamLost: 'Link to {name} lost: {why}',
};
