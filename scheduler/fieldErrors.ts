// What a person sees when a form field is refused: the field's name in their
// language and what to do about it, not the schema's wording ("Tiêu đề: hãy
// nhập tiêu đề (không được để trống)." rather than "title: expected string").
// Programs read the issues' `path` and `code` instead.

type Pair = readonly [vi: string, en: string];

interface Field {
  label: Pair;
  /** What to do when it is empty; default "hãy nhập <label>" / "enter the <label>". */
  ask?: Pair;
  /** What a well-formed value looks like, when "wrong format" alone would not tell. */
  format?: Pair;
}

const choose = (vi: string, en: string): Pair => [`hãy chọn ${vi}`, `choose ${en}`];

/** The fields people fill in, by their name in the request. */
const FIELDS: Record<string, Field> = {
  title: { label: ['Tiêu đề', 'Title'], ask: ['hãy nhập tiêu đề', 'enter a title'] },
  agenda: { label: ['Nội dung', 'Agenda'] },
  invitationNumber: { label: ['Số giấy mời', 'Invitation number'] },
  startAt: { label: ['Giờ bắt đầu', 'Start time'], ask: choose('giờ bắt đầu', 'the start time') },
  endAt: { label: ['Giờ kết thúc', 'End time'], ask: choose('giờ kết thúc', 'the end time') },
  techCheckAt: {
    label: ['Giờ kiểm tra kỹ thuật', 'Technical check time'],
    ask: choose('giờ kiểm tra kỹ thuật', 'the technical check time'),
  },
  chairRoomId: { label: ['Điểm cầu chủ trì', 'Chair room'], ask: choose('điểm cầu chủ trì', 'the chair room') },
  chairUnitId: { label: ['Đơn vị chủ trì', 'Chairing unit'], ask: choose('đơn vị chủ trì', 'the chairing unit') },
  mode: { label: ['Hình thức họp', 'Meeting mode'], ask: choose('hình thức họp', 'the meeting mode') },
  maxSites: { label: ['Số điểm cầu tối đa', 'Maximum sites'] },
  roomIds: { label: ['Điểm cầu được mời', 'Invited rooms'], ask: choose('điểm cầu', 'the rooms') },
  reason: { label: ['Lý do', 'Reason'], ask: ['hãy ghi lý do', 'give a reason'] },
  note: { label: ['Ghi chú', 'Note'] },
  mark: { label: ['Điểm danh', 'Roll-call mark'], ask: choose('kết quả điểm danh', 'a roll-call mark') },
  login: { label: ['Tên đăng nhập', 'Login'], ask: ['hãy nhập tên đăng nhập', 'enter your login'] },
  password: { label: ['Mật khẩu', 'Password'], ask: ['hãy nhập mật khẩu', 'enter your password'] },
  name: { label: ['Tên', 'Name'], ask: ['hãy nhập tên', 'enter a name'] },
  code: { label: ['Mã', 'Code'], ask: ['hãy nhập mã', 'enter a code'] },
  kind: { label: ['Loại đơn vị', 'Unit kind'], ask: choose('loại đơn vị', 'the unit kind') },
  role: { label: ['Vai trò', 'Role'], ask: choose('vai trò', 'a role') },
  unitId: { label: ['Đơn vị', 'Unit'], ask: choose('đơn vị', 'a unit') },
  parentId: { label: ['Đơn vị cấp trên', 'Parent unit'], ask: choose('đơn vị cấp trên', 'the parent unit') },
  roomId: { label: ['Điểm cầu', 'Room'], ask: choose('điểm cầu', 'a room') },
  location: { label: ['Địa điểm', 'Location'] },
  day: { label: ['Ngày', 'Day'] },
  week: { label: ['Tuần', 'Week'] },
  from: { label: ['Từ ngày', 'From'] },
  to: { label: ['Đến ngày', 'To'] },
  // A room's SIP account (contract/sip.ts).
  user: {
    label: ['Tên SIP', 'SIP user name'],
    ask: ['hãy nhập tên SIP', 'enter a SIP user name'],
    format: [
      'chỉ gồm chữ không dấu, chữ số và . _ - (không có dấu cách)',
      'use only letters without accents, digits and . _ - (no spaces)',
    ],
  },
  uri: {
    label: ['Địa chỉ hệ thống gọi tới thiết bị', 'Dial-out address'],
    format: [
      'phải có dạng sip:ten@dia-chi, ví dụ sip:phonghop@10.1.2.3:5060',
      'write it as sip:name@host, e.g. sip:room@10.1.2.3:5060',
    ],
  },
};

/** Where the refused value came from, named for a person. */
const PARTS: Record<string, Pair> = {
  body: ['Dữ liệu gửi lên', 'The request body'],
  querystring: ['Tham số truy vấn', 'The query string'],
  params: ['Địa chỉ', 'The address'],
};

/** One refused value: the schema's issue, with the value the client sent when it is known. */
export interface RawIssue {
  code: string;
  path: string[];
  message: string;
  sent?: { value: unknown };
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  values?: unknown[];
  keys?: string[];
}

export interface FieldIssue {
  path: string;
  code: string;
  /** Vietnamese. */
  message: string;
  messageEn: string;
}

const TYPES: Record<string, Pair> = {
  string: ['văn bản', 'text'],
  number: ['một số', 'a number'],
  int: ['một số nguyên', 'a whole number'],
  boolean: ['đúng hoặc sai', 'true or false'],
  array: ['một danh sách', 'a list'],
  object: ['một nhóm dữ liệu', 'an object'],
};

/** Refinements in the routes write their own message as "Vietnamese | English". */
function ownMessage(message: string): Pair | null {
  const i = message.indexOf(' | ');
  return i < 0 ? null : [message.slice(0, i), message.slice(i + 3)];
}

function fieldOf(path: string[], part: string | undefined): Field {
  const name = [...path].reverse().find((s) => !/^\d+$/.test(s));
  if (name && FIELDS[name]) return FIELDS[name];
  if (name) return { label: [name, name] };
  return { label: PARTS[part ?? 'body'] ?? (PARTS.body as Pair) };
}

/** Empty as a person sees it: missing, null, or only spaces (titles and names are trimmed). */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function empty(field: Field): Pair {
  const [vi, en] = field.label;
  const [askVi, askEn] = field.ask ?? [`hãy nhập ${vi.toLowerCase()}`, `enter the ${en.toLowerCase()}`];
  return [`${askVi} (không được để trống)`, `${askEn} (it cannot be empty)`];
}

function tooSmall(i: RawIssue): Pair {
  const n = Number(i.minimum);
  if (i.origin === 'string') return [`cần ít nhất ${n} ký tự`, `use at least ${n} characters`];
  if (i.origin === 'array' || i.origin === 'set') return [`chọn ít nhất ${n} mục`, `choose at least ${n}`];
  return i.inclusive === false
    ? [`phải lớn hơn ${n}`, `must be more than ${n}`]
    : [`ít nhất là ${n}`, `must be at least ${n}`];
}

function tooBig(i: RawIssue): Pair {
  const n = Number(i.maximum);
  if (i.origin === 'string') {
    // Trimmed fields are measured trimmed; others as sent.
    const v = i.sent?.value;
    const now = typeof v === 'string' ? (v.trim().length > n ? v.trim().length : v.length) : null;
    return [
      `tối đa ${n} ký tự${now ? ` (đang có ${now})` : ''}, hãy rút gọn`,
      `at most ${n} characters${now ? ` (now ${now})` : ''}; shorten it`,
    ];
  }
  if (i.origin === 'array' || i.origin === 'set') return [`tối đa ${n} mục`, `at most ${n} items`];
  return i.inclusive === false
    ? [`phải nhỏ hơn ${n}`, `must be less than ${n}`]
    : [`nhiều nhất là ${n}`, `must be at most ${n}`];
}

function badFormat(i: RawIssue, field: Field): Pair {
  if (field.format) return field.format;
  if (i.format === 'datetime') {
    return [
      'không đúng định dạng ngày giờ (ví dụ 2025-11-24T08:00:00+07:00)',
      'not a valid date and time (e.g. 2025-11-24T08:00:00+07:00)',
    ];
  }
  if (i.format === 'date') return ['không đúng định dạng ngày (YYYY-MM-DD)', 'not a valid date (YYYY-MM-DD)'];
  return ['không đúng định dạng', 'wrong format'];
}

function wrongType(i: RawIssue): Pair {
  const [vi, en] = TYPES[i.expected ?? ''] ?? [`kiểu ${i.expected}`, `of type ${i.expected}`];
  return [`cần ${vi}`, `must be ${en}`];
}

/** What is wrong, without the field's name. */
function problem(i: RawIssue, field: Field): Pair {
  // Any refusal of an empty value reads "enter it", whatever rule caught it first.
  if (i.sent && i.code !== 'unrecognized_keys' && isEmpty(i.sent.value)) return empty(field);
  switch (i.code) {
    case 'too_small':
      return tooSmall(i);
    case 'too_big':
      return tooBig(i);
    case 'invalid_format':
      return badFormat(i, field);
    case 'invalid_type':
      return wrongType(i);
    case 'invalid_value': {
      const list = (i.values ?? []).map(String).join(', ');
      return [`hãy chọn một trong: ${list}`, `choose one of: ${list}`];
    }
    default:
      return ['giá trị không hợp lệ', 'not a valid value'];
  }
}

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/** The issue as one sentence per language, naming the field. */
export function describeIssue(i: RawIssue, part?: string): FieldIssue {
  const path = i.path.join('.');
  if (i.code === 'unrecognized_keys') {
    const keys = (i.keys ?? []).map((k) => `“${k}”`).join(', ');
    return {
      path,
      code: i.code,
      message: `Dữ liệu không hợp lệ: không nhận trường ${keys}.`,
      messageEn: `Unrecognized key(s) ${keys}: remove them.`,
    };
  }
  // A route's own message is a whole sentence that already names what is wrong.
  const own = ownMessage(i.message);
  if (own) return { path, code: i.code, message: sentence(own[0]), messageEn: sentence(own[1]) };
  const field = fieldOf(i.path, part);
  const [vi, en] = problem(i, field);
  return {
    path,
    code: i.code,
    message: sentence(`${field.label[0]}: ${vi}`),
    messageEn: sentence(`${field.label[1]}: ${en}`),
  };
}
