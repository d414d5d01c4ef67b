// Vietnamese strings: the reference dictionary, put together from one module
// per domain (each holds its Vietnamese and English strings; en.ts spreads the
// same modules in the same order). Every other language must provide every key
// (see `Messages`), so a missing translation is a compile error. Placeholders
// are written {name} and filled by t(key, { name }).
import { accountsVi } from './accounts.vi.ts';
import { adminVi } from './admin.ts';
import { archiveVi } from './archive.ts';
import { boardVi } from './board.ts';
import { chatVi } from './chat.ts';
import { commonVi } from './common.ts';
import { consoleVi } from './console.ts';
import { integrationVi } from './integration.ts';
import { meetingVi } from './meeting.ts';
import { presentingVi } from './presenting.ts';
import { roomVi } from './room.ts';
import { roomSipVi } from './roomSip.ts';
import { secretariatVi } from './secretariat.ts';
import { signInVi } from './signIn.ts';
import { unitsAdminVi } from './unitsAdmin.ts';
import { unitTreeVi } from './unitTree.ts';

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
  chairRemove: 'Mời rời cuộc họp',
  chairRemoveConfirm: 'Mời {name} rời cuộc họp?',
  chairLock: 'Khóa cuộc họp',
  chairUnlock: 'Mở khóa cuộc họp',
  chairEnd: 'Kết thúc cuộc họp',
  chairEndConfirm: 'Kết thúc cuộc họp cho mọi điểm cầu?',
  chairMosaic: 'Hình ảnh các điểm cầu',
  chairMosaicPage: 'Trang {page}/{pages}',
  chairPrevPage: 'Trang trước',
  chairNextPage: 'Trang sau',
  chairSelected: 'Điểm cầu đang chọn: {name}',
  chairOnStageNow: 'Đang trên màn hình chính: {name}',
  ...unitsAdminVi,
  recordingOn: 'Đang ghi hình',
  recordingStart: 'Ghi hình',
  recordingStop: 'Dừng ghi hình',
  recordingStopConfirm: 'Dừng ghi hình cuộc họp? Phần đã ghi sẽ được dựng thành một tệp MP4.',
  meetingAutoRecord: 'Ghi hình tự động khi bắt đầu',
  roomCall: 'Gọi',
  roomCallTitle: 'Máy chủ gọi điểm cầu SIP này',
  roomCallCalling: 'Đang gọi…',
  roomCallRedialling: 'Đang gọi lại (lần {attempt})…',
  roomCallFailed: 'Không trả lời: {answer}',
  roomCallWaiting: 'Cuộc gọi bị ngắt; gọi lại lúc {time}',
  upstreamTitle: 'Tiếp sóng cuộc họp cấp trên',
  upstreamDeployment: 'Hệ thống cấp trên',
  upstreamMeetingId: 'Mã cuộc họp bên đó',
  upstreamLink: 'Liên kết',
  upstreamUnlink: 'Ngắt liên kết',
  upstreamConnecting: 'Đang kết nối với {name}…',
  upstreamLive: 'Đang tiếp sóng từ {name}; điểm cầu chủ trì được gửi lên.',
  upstreamLost: 'Mất liên kết với {name}: {why}',
} as const;

export type MessageKey = keyof typeof vi;
/** Every language provides every key. */
export type Messages = { readonly [K in MessageKey]: string };
