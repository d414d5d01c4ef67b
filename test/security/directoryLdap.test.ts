// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Sign-in through the province's LDAP directory: Debian's OpenLDAP started by
// the test with two officials in two groups (and one disabled, one in no group).
// Each signs in with the role and unit their group maps to; a wrong password, a
// disabled or unmapped person is refused in words; a person removed from the
// directory loses the session at the next re-check; an outage removes nobody.
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config.ts';
import { type Slapd, startSlapd } from '../helpers/slapd.ts';
import { startHub, type TestHub } from '../scheduler/helpers.ts';

const SUFFIX = 'dc=tinh,dc=vn';
const PEOPLE = `ou=people,${SUFFIX}`;
const GROUPS = `ou=groups,${SUFFIX}`;

function person(uid: string, cn: string, password: string, extra: string[] = []): string {
  return [
    `dn: uid=${uid},${PEOPLE}`,
    'objectClass: inetOrgPerson',
    `uid: ${uid}`,
    `cn: ${cn}`,
    'sn: x',
    `userPassword: ${password}`,
    ...extra,
  ].join('\n');
}

/** A groupOfNames must keep one member: the service account stays in each, mapping to nothing by itself. */
function group(cn: string, members: string[]): string {
  const dns = [...members.map((m) => `uid=${m},${PEOPLE}`), `cn=diemcau,${SUFFIX}`];
  return [`dn: cn=${cn},${GROUPS}`, 'objectClass: groupOfNames', `cn: ${cn}`, ...dns.map((dn) => `member: ${dn}`)].join(
    '\n',
  );
}

const LDIF = [
  [`dn: ${SUFFIX}`, 'objectClass: dcObject', 'objectClass: organization', 'o: Tinh', 'dc: tinh'].join('\n'),
  [`dn: ${PEOPLE}`, 'objectClass: organizationalUnit', 'ou: people'].join('\n'),
  [`dn: ${GROUPS}`, 'objectClass: organizationalUnit', 'ou: groups'].join('\n'),
  [`dn: cn=diemcau,${SUFFIX}`, 'objectClass: person', 'cn: diemcau', 'sn: service', 'userPassword: service-pw'].join(
    '\n',
  ),
  person('an.nv', 'Nguyễn Văn An', 'an-pass-1'),
  person('binh.tt', 'Trần Thị Bình', 'binh-pass-1', ['departmentNumber: HBX-H01']),
  person('cuong.lv', 'Lê Văn Cường', 'cuong-pass-1', ['employeeType: disabled']),
  person('dung.pt', 'Phạm Thị Dung', 'dung-pass-1'),
  group('vanphong', ['an.nv', 'cuong.lv']),
  group('lanhdao', ['binh.tt']),
].join('\n\n');

let slapd: Slapd;
let hub: TestHub;

beforeAll(async () => {
  slapd = await startSlapd(SUFFIX, `${LDIF}\n`);
  hub = await startHub({
    LDAP_URL: slapd.url,
    LDAP_BIND_DN: `cn=diemcau,${SUFFIX}`,
    LDAP_BIND_PASSWORD: 'service-pw',
    LDAP_USER_BASE: PEOPLE,
    LDAP_GROUP_BASE: GROUPS,
    // One group by its DN, the other by its cn: both spellings are accepted.
    LDAP_GROUP_ROLE_MAP: `cn=vanphong,${GROUPS}=>secretariat; lanhdao=>chair`,
    LDAP_GROUP_UNIT_MAP: 'vanphong=>HBX',
    LDAP_UNIT_ATTRIBUTE: 'departmentNumber',
    LDAP_DISABLED_FILTER: '(employeeType=disabled)',
  });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await slapd?.close();
});

async function signIn(login: string, password: string) {
  return hub.call<any>('POST', '/api/auth/login', { body: { login, password } });
}

async function me(token: string) {
  return hub.call<any>('GET', '/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
}

async function rootClient(): Promise<Client> {
  const client = new Client({ url: slapd.url });
  await client.bind(slapd.rootDn, slapd.rootPassword);
  return client;
}

describe('LDAP sign-in', () => {
  it('tells the client that passwords may be the directory’s, and offers no provider button', async () => {
    const methods = await hub.call<any>('GET', '/api/auth/methods');
    expect(methods.body).toEqual({ password: true, ldap: true, oidc: false });
  });

  it('creates each official at the first sign-in with the role and unit of their group', async () => {
    const an = await signIn('an.nv', 'an-pass-1');
    expect(an.status).toBe(200);
    expect(an.body.user).toMatchObject({
      login: 'an.nv',
      name: 'Nguyễn Văn An',
      role: 'secretariat',
      authSource: 'ldap',
      unit: { code: 'HBX' },
    });
    const binh = await signIn('binh.tt', 'binh-pass-1');
    expect(binh.status).toBe(200);
    expect(binh.body.user).toMatchObject({ role: 'chair', authSource: 'ldap', unit: { code: 'HBX-H01' } });

    // The scope is real: each sees the meetings the local account of the same role and unit sees.
    const meetingIds = async (token: string) => {
      const res = await hub.call<any>('GET', '/api/meetings', { headers: { authorization: `Bearer ${token}` } });
      return res.body.meetings.map((m: any) => m.id).sort();
    };
    const provinceSecretariat = await hub.login('vanphong.tinh', 'vanphong123');
    const districtChair = await hub.login('chutri.tanphong', 'chutri123');
    expect(await meetingIds(an.body.token)).toEqual(await meetingIds(provinceSecretariat.token));
    expect(await meetingIds(binh.body.token)).toEqual(await meetingIds(districtChair.token));
    expect(await meetingIds(binh.body.token)).not.toEqual(await meetingIds(an.body.token));

    const logins = await hub.scheduler.db.auditLog.findMany({ where: { action: 'auth.login', userLogin: 'an.nv' } });
    expect(logins.map((l) => JSON.parse(l.details ?? '{}').method)).toEqual(['ldap']);
  });

  it('refuses a wrong password without creating anything', async () => {
    const res = await signIn('dung.pt', 'not-her-password');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'BAD_CREDENTIALS', message: 'Sai tên đăng nhập hoặc mật khẩu.' });
    expect(await hub.scheduler.db.user.findUnique({ where: { login: 'dung.pt' } })).toBeNull();
  });

  it('refuses a person disabled in the directory, and one whose groups map to no role, saying what to do', async () => {
    const disabled = await signIn('cuong.lv', 'cuong-pass-1');
    expect(disabled.status).toBe(403);
    expect(disabled.body.error.code).toBe('ACCOUNT_DISABLED');
    expect(disabled.body.error.message).toContain('liên hệ quản trị viên');

    const unmapped = await signIn('dung.pt', 'dung-pass-1');
    expect(unmapped.status).toBe(403);
    expect(unmapped.body.error.code).toBe('DIRECTORY_NO_ROLE');
    expect(unmapped.body.error.messageEn).toContain('Ask the province account administrators');
    expect(await hub.scheduler.db.user.count({ where: { login: { in: ['cuong.lv', 'dung.pt'] } } })).toBe(0);
  });

  it('keeps the administrator’s local password, and keeps directory accounts out of the local password change', async () => {
    expect((await signIn('admin', 'admin123')).status).toBe(200);
    const an = await signIn('an.nv', 'an-pass-1');
    const change = await hub.call<any>('POST', '/api/auth/password', {
      headers: { authorization: `Bearer ${an.body.token}` },
      body: { currentPassword: 'an-pass-1', newPassword: 'a-brand-new-pass' },
    });
    expect(change.status).toBe(400);
    expect(change.body.error.code).toBe('DIRECTORY_ACCOUNT');
    expect(change.body.error.message).toContain('đổi ở đó');
  });

  it('throttles LDAP password guesses like local ones', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('binh.tt', `guess-${i}`)).status).toBe(401);
    const right = await signIn('binh.tt', 'binh-pass-1');
    expect(right.status).toBe(429);
    expect(right.body.error.message).toContain('thử lại sau');
  });

  it('follows the directory at the re-check: a moved official changes role, a removed one loses the session', async () => {
    const an = await signIn('an.nv', 'an-pass-1');
    expect((await me(an.body.token)).status).toBe(200);
    const root = await rootClient();
    try {
      await root.del(`uid=an.nv,${PEOPLE}`);
      // Bình leaves the leadership group for the secretariat's: the province's secretariat now.
      await root.modify(`cn=lanhdao,${GROUPS}`, [
        new Change({
          operation: 'delete',
          modification: new Attribute({ type: 'member', values: [`uid=binh.tt,${PEOPLE}`] }),
        }),
      ]);
      await root.modify(`cn=vanphong,${GROUPS}`, [
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'member', values: [`uid=binh.tt,${PEOPLE}`] }),
        }),
      ]);
    } finally {
      await root.unbind();
    }

    // Still signed in until the re-check runs (every DIRECTORY_RECHECK_MINUTES; run now).
    expect((await me(an.body.token)).status).toBe(200);
    const result = await hub.scheduler.recheckDirectoryAccounts();
    expect(result).toMatchObject({ deactivated: 1, complete: true });
    expect((await me(an.body.token)).status).toBe(401);
    expect(await hub.scheduler.db.session.count({ where: { user: { login: 'an.nv' } } })).toBe(0);
    const gone = await hub.scheduler.db.auditLog.findFirst({ where: { action: 'directory.user_deactivated' } });
    expect(JSON.parse(gone?.details ?? '{}')).toMatchObject({ login: 'an.nv', reason: 'not_found' });
    expect((await signIn('an.nv', 'an-pass-1')).status).toBe(401);

    const binh = await hub.scheduler.db.user.findUniqueOrThrow({
      where: { login: 'binh.tt' },
      include: { unit: true },
    });
    expect(binh).toMatchObject({ role: 'secretariat', active: true, unit: { code: 'HBX' } });
  });

  it('stops the hub at start on a map it cannot apply, naming the setting', () => {
    const base = { LDAP_URL: slapd.url, LDAP_USER_BASE: PEOPLE };
    expect(() => loadConfig({ ...base, LDAP_GROUP_ROLE_MAP: 'vanphong=>boss' })).toThrow(
      /LDAP_GROUP_ROLE_MAP: "boss" is not a role/,
    );
    expect(() => loadConfig({ ...base, LDAP_GROUP_ROLE_MAP: 'vanphong secretariat' })).toThrow(/is not "key=>value"/);
    expect(() => loadConfig({ LDAP_URL: slapd.url, LDAP_GROUP_ROLE_MAP: 'vanphong=>chair' })).toThrow(
      /set LDAP_USER_BASE too/,
    );
  });

  it('removes nobody while the directory is down, and says so at sign-in', async () => {
    const activeBefore = await hub.scheduler.db.user.count({ where: { authSource: 'ldap', active: true } });
    await slapd.close();
    const res = await signIn('an.nv', 'an-pass-1');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DIRECTORY_UNAVAILABLE');
    expect(res.body.error.message).toContain('thử lại sau ít phút');
    const result = await hub.scheduler.recheckDirectoryAccounts();
    expect(result.complete).toBe(false);
    expect(await hub.scheduler.db.user.count({ where: { authSource: 'ldap', active: true } })).toBe(activeBefore);
  });
});
