// Vietnamese strings: the reference dictionary, put together from one module
// per domain (each holds its Vietnamese and English strings; en.ts spreads the
// same modules in the same order). Every other language must provide every key
// (see `Messages`), so a missing translation is a compile error. Placeholders
// are written {name} and filled by t(key, { name }).
import { accountsVi } from './accounts.vi.ts';
import { adminVi } from './admin.ts';
import { archiveVi } from './archive.ts';
import { boardVi } from './board.ts';
import { chairControlsVi } from './chairControls.ts';
import { chatVi } from './chat.ts';
import { commonVi } from './common.ts';
import { consoleVi } from './console.ts';
import { integrationVi } from './integration.ts';
import { meetingVi } from './meeting.ts';
import { presentingVi } from './presenting.ts';
import { recordingVi } from './recording.ts';
import { roomVi } from './room.ts';
import { roomCallVi } from './roomCall.ts';
import { roomSipVi } from './roomSip.ts';
import { secretariatVi } from './secretariat.ts';
import { signInVi } from './signIn.ts';
import { unitsAdminVi } from './unitsAdmin.ts';
import { unitTreeVi } from './unitTree.ts';
import { upstreamVi } from './upstream.ts';

export const vi = {
  ...accountsVi,
  ...archiveVi,
  ...integrationVi,
  ...roomSipVi,
  ...commonVi,
  ...chatVi,
  ...signInVi,
  ...unitTreeVi,
  ...boardVi,
  ...meetingVi,
  ...secretariatVi,
  ...roomVi,
  ...adminVi,
  ...consoleVi,
  ...presentingVi,
  ...chairControlsVi,
  ...unitsAdminVi,
  ...recordingVi,
  ...roomCallVi,
  ...upstreamVi,
} as const;

export type MessageKey = keyof typeof vi;
/** Every language provides every key. */
export type Messages = { readonly [K in MessageKey]: string };
