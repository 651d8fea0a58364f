// 志愿服务记录 and 志愿服务证明 over HTTP: the volunteer's records, a certificate and its
// PDF, the public check without a session (masked, nothing that identifies beyond the
// family name), staff of another community kept out, and the ID number never unmasked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, checkAnswer, demoToken } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MORE, SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createResidents,
  key,
  moveWindow,
  placeOrder,
  publishProject,
} from '../support/orders';
import { pdfText } from '../support/pdf';

const ID_NUMBER = '11010519491231002X';
const MASKED = '1101**********002X';
const NAME = '王秀英';

let t: TestDatabase;
let harness: ReturnType<typeof buildTestApp>;
let tokens: Record<'wang' | 'staff' | 'wu' | 'kang' | 'chen', string>;
/** Every answer's text, to scan for the ID number at the end. */
const texts: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  harness = buildTestApp(t.db);
  tokens = {
    wang: await demoToken(harness.call, 'resident'),
    staff: await demoToken(harness.call, 'staff'),
    wu: await demoToken(harness.call, 'staff-wu'),
    kang: await demoToken(harness.call, 'staff-kang'),
    chen: await demoToken(harness.call, 'resident-chen'),
  };
});
afterAll(() => t.close());

/** A request as `who` (no token when null); JSON answers are checked against their route's schema. */
async function send(who: keyof typeof tokens | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': randomUUID(),
  };
  if (who) headers.authorization = `Bearer ${tokens[who]}`;
  const response = await harness.app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('application/pdf')) {
    return {
      status: response.status,
      headers: response.headers,
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  }
  const text = await response.text();
  texts.push(text);
  const parsed = text ? JSON.parse(text) : null;
  checkAnswer(method, path, response.status, parsed);
  return { status: response.status, headers: response.headers, body: parsed, text };
}

async function today(): Promise<string> {
  const { rows } = await t.admin.query(
    "select to_char((now() at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as d",
  );
  return rows[0].d;
}

/** 王秀英 applies over HTTP with a real ID number, 阳光社区 staff approve, and she serves `services` times. */
async function wangServes(services: number) {
  const applied = await send('wang', 'POST', '/api/volunteer/application', {
    realName: NAME,
    phone: '13912345678',
    idNumber: ID_NUMBER.toLowerCase(),
    skills: [{ code: 'smartphone' }],
    availability: [{ weekday: 6, start: '09:00', end: '12:00' }],
    serviceRadiusM: 2000,
    pledge: true,
  });
  expect(applied.status).toBe(200);
  const approved = await send('staff', 'POST', `/api/staff/volunteers/${SEED.residentWang}/review`, {
    decision: 'approve',
  });
  expect(approved.body.status).toBe('approved');
  const project = await publishProject(t.db, { pointsPerHour: 30 });
  const orders: string[] = [];
  for (let i = 0; i < services; i++) {
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    const order = await placeOrder(t.db, project.id, { resident });
    await t.db.rpc('accept_order', { p_actor: SEED.residentWang, p_order_id: order.id, p_key: key() });
    await checkIn(t, order.id, SEED.residentWang);
    await checkOut(t, order.id, SEED.residentWang, { minutes: 45 + 15 * i });
    await t.db.rpc('confirm_order', {
      p_actor: resident,
      p_order_id: order.id,
      p_rating: 3,
      p_tags: [],
      p_comment: '',
      p_key: key(),
    });
    orders.push(order.id);
  }
  return { project, orders };
}

describe('records and certificates over HTTP', () => {
  let certificate: { id: string; serial: string; verifyCode: string; totalMinutes: number };

  it('the volunteer reads her records and issues a certificate that carries only the masked ID number', async () => {
    await wangServes(2);
    const records = await send('wang', 'GET', '/api/volunteer/records');
    expect(records.status).toBe(200);
    expect(records.body).toMatchObject({
      volunteerId: SEED.residentWang,
      volunteerName: NAME,
      totalMinutes: 105,
      count: 2,
    });
    const day = await today();
    expect((await send('wang', 'GET', `/api/volunteer/records?from=${day}&to=${day}`)).body.count).toBe(2);
    expect((await send('wang', 'GET', '/api/volunteer/records?from=2026-13-01')).status).toBe(400);

    const issued = await send('wang', 'POST', '/api/volunteer/certificates', { from: day, to: day });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      volunteerName: NAME,
      idNumberMasked: MASKED,
      totalMinutes: 105,
      serviceCount: 2,
      handlerName: '本人在线申请，系统出具',
      valid: true,
    });
    certificate = issued.body;
    const listed = await send('wang', 'GET', '/api/volunteer/certificates');
    expect(listed.body.map((c: { id: string }) => c.id)).toEqual([certificate.id]);
    const tomorrow = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const late = await send('wang', 'POST', '/api/volunteer/certificates', { from: day, to: tomorrow });
    expect(late.status).toBe(400);
    expect(late.body.error.message).toMatch(/不能晚于今天/);
    const backwards = await send('wang', 'POST', '/api/volunteer/certificates', {
      from: day,
      to: '2020-01-01',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('the PDF is a PDF with the serial and the name, and no unmasked ID number', async () => {
    const pdf = await send('wang', 'GET', `/api/certificates/${certificate.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(certificate.serial);
    const bytes = pdf.bytes as Uint8Array;
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain(certificate.serial);
    expect(text).toContain(NAME);
    expect(text).not.toContain(ID_NUMBER);
    expect(text.replace(/\s/g, '')).not.toContain(ID_NUMBER);
    // Staff of her community may print it; nobody without a session may.
    expect((await send('staff', 'GET', `/api/certificates/${certificate.id}/pdf`)).status).toBe(200);
    expect((await send(null, 'GET', `/api/certificates/${certificate.id}/pdf`)).status).toBe(401);
  });

  it('anyone checks it by its code without a session, and learns nothing that identifies her', async () => {
    const check = await send(null, 'GET', `/api/verify/${certificate.verifyCode}`);
    expect(check.status).toBe(200);
    expect(check.headers.get('cache-control')).toBe('no-store');
    expect(check.body).toEqual({
      serial: certificate.serial,
      volunteerNameMasked: '王**',
      periodStart: await today(),
      periodEnd: await today(),
      totalMinutes: 105,
      serviceCount: 2,
      issuerName: '阳光社区',
      issuedAt: expect.any(String),
      valid: true,
    });
    const text = check.text as string;
    expect(text).not.toContain(NAME);
    expect(text).not.toMatch(/1[3-9]\d{9}/); // a phone number
    expect(text).not.toMatch(/1\d{2}\*{4}\d{4}/); // a masked one
    expect(text).not.toMatch(/\d{4}\*{6,}\d{3}[\dX]/); // a masked ID number
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(SEED.residentWang);

    const spelled = certificate.verifyCode
      .toLowerCase()
      .replace(/(.{4})/g, '$1-')
      .slice(0, -1);
    expect((await send(null, 'GET', `/api/verify/${spelled}`)).body.serial).toBe(certificate.serial);
    const malformed = await send(null, 'GET', '/api/verify/not-a-code');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBe('验证码是 12 位数字和字母，请核对');
    const unknown = await send(null, 'GET', '/api/verify/000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/没有找到这份证明/);
  });

  it('staff of another community or street can’t read her certificate or records', async () => {
    for (const who of ['wu', 'kang', 'chen'] as const) {
      expect((await send(who, 'GET', `/api/certificates/${certificate.id}`)).status).toBe(404);
      expect((await send(who, 'GET', `/api/certificates/${certificate.id}/pdf`)).status).toBe(404);
    }
    for (const who of ['wu', 'kang'] as const) {
      expect((await send(who, 'GET', `/api/staff/volunteers/${SEED.residentWang}/records`)).status).toBe(404);
      expect((await send(who, 'GET', `/api/staff/volunteers/${SEED.residentWang}/certificates`)).status).toBe(
        404,
      );
      const issued = await send(who, 'POST', `/api/staff/volunteers/${SEED.residentWang}/certificates`, {
        from: await today(),
        to: await today(),
      });
      expect(issued.status).toBe(404);
    }
    const notVolunteer = await send('chen', 'GET', '/api/volunteer/records');
    expect(notVolunteer.status).toBe(404);
    expect(notVolunteer.body.error.message).toBe('您还不是志愿者');
    const own = await send('staff', 'GET', `/api/certificates/${certificate.id}`);
    expect(own.body).toMatchObject({ serial: certificate.serial, idNumberMasked: MASKED });
    expect((await send('staff', 'GET', '/api/certificates/not-a-uuid')).status).toBe(400);
  });

  it('a staff correction of a listed record shows at once in the public check', async () => {
    const records = await send('staff', 'GET', `/api/staff/volunteers/${SEED.residentWang}/records`);
    const [first] = records.body.records as { id: number; minutes: number; actions: string[] }[];
    expect(first?.actions).toEqual(['correct']);
    const refused = await send('wu', 'POST', `/api/staff/service-records/${first?.id}/corrections`, {
      minutes: 30,
      reason: '核对后更正',
    });
    expect(refused.status).toBe(404);
    expect(
      (
        await send('staff', 'POST', '/api/staff/service-records/abc/corrections', {
          minutes: 30,
          reason: '核对后更正',
        })
      ).status,
    ).toBe(400);
    const corrected = await send('staff', 'POST', `/api/staff/service-records/${first?.id}/corrections`, {
      minutes: 30,
      reason: '核对签退时间后更正',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ correctsId: first?.id, minutes: 30 });
    expect((await send(null, 'GET', `/api/verify/${certificate.verifyCode}`)).body.valid).toBe(false);
    // Staff issue a new one for her, in their own name, listing the correction.
    const day = await today();
    const reissued = await send('staff', 'POST', `/api/staff/volunteers/${SEED.residentWang}/certificates`, {
      from: day,
      to: day,
    });
    expect(reissued.body).toMatchObject({
      handlerName: '张红梅',
      totalMinutes: 105 - (first?.minutes ?? 0) + 30,
      valid: true,
    });
  });

  it('staff confirm presence over HTTP with a note, and the order says how it was proved', async () => {
    const project = await publishProject(t.db);
    const order = await placeOrder(t.db, project.id, { resident: MORE.residentChen });
    await t.db.rpc('accept_order', { p_actor: SEED.residentWang, p_order_id: order.id, p_key: key() });
    await moveWindow(t, order.id, 5);
    const path = `/api/orders/${order.id}/staff-presence`;
    const short = await send('staff', 'POST', path, { step: 'check_in', note: '到了' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/核实情况/);
    expect((await send('wu', 'POST', path, { step: 'check_in', note: '已电话联系居民确认' })).status).toBe(
      403,
    );
    const done = await send('staff', 'POST', path, { step: 'check_in', note: '已电话联系居民确认' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'in_service', checkInMethod: 'staff', checkOutMethod: null });
    const seen = await send('chen', 'GET', `/api/orders/${order.id}`);
    expect(seen.body.checkInMethod).toBe('staff');
  });

  it('the volunteer rests and edits her profile over HTTP', async () => {
    const day = await today();
    const paused = await send('wang', 'POST', '/api/volunteer/pause', { until: day });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      pausedUntil: day,
      actions: expect.arrayContaining(['resume', 'certificate']),
    });
    expect((await send('wang', 'POST', '/api/volunteer/pause', { until: null })).body.pausedUntil).toBeNull();
    const edited = await send('wang', 'POST', '/api/volunteer/profile', {
      skills: [{ code: 'smartphone' }, { code: 'cleaning' }],
      availability: [{ weekday: 2, start: '08:00', end: '11:00' }],
      serviceRadiusM: 1200,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ serviceRadiusM: 1200, idNumberMasked: MASKED });
    const bad = await send('wang', 'POST', '/api/volunteer/profile', {
      skills: [{ code: 'repair', proofUrl: 'http://example.cn/x.jpg' }],
      availability: [],
      serviceRadiusM: 1200,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/资质证明/);
  });

  it('no answer anywhere carried the ID number unmasked', () => {
    expect(texts.length).toBeGreaterThan(20);
    for (const text of texts) {
      expect(text).not.toContain(ID_NUMBER);
      expect(text).not.toContain(ID_NUMBER.toLowerCase());
      expect(text).not.toContain(ID_NUMBER.slice(4, 14));
    }
    expect(texts.some((text) => text.includes(MASKED))).toBe(true);
  });
});
