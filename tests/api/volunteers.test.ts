// 成为志愿者 over HTTP: the ID number is encrypted in the API with ID_NUMBER_KEY before
// SQL sees it, and no answer — to the applicant, staff or anyone — carries it unmasked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIdNumber } from '../../functions/src/volunteers/id-number';
import { buildTestApp, checkAnswer, demoToken, TEST_ID_NUMBER_KEY } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';

const ID_NUMBER = '11010519491231002X';
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('the application over HTTP', () => {
  it('encrypts the ID number with the configured key and answers only its masked form', async () => {
    const { app, call } = buildTestApp(t.db);
    const send = async (token: string, method: string, path: string, body?: unknown, k = randomUUID()) => {
      const response = await app.request(path, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': k,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : null;
      checkAnswer(method, path, response.status, parsed);
      return { status: response.status, body: parsed, text };
    };
    const resident = await demoToken(call, 'resident');
    const staff = await demoToken(call, 'staff');
    const other = await demoToken(call, 'staff-wu');
    const form = {
      realName: '王秀英',
      phone: '13912345678',
      idNumber: ID_NUMBER.toLowerCase(),
      skills: [{ code: 'smartphone' }],
      availability: [{ weekday: 6, start: '09:00', end: '12:00' }],
      serviceRadiusM: 2000,
      pledge: true,
    };
    const texts: string[] = [];
    expect(
      (
        await send(resident, 'POST', '/api/volunteer/application', {
          ...form,
          idNumber: '110105194912310021',
        })
      ).body,
    ).toMatchObject({ error: { code: 'invalid_input', message: '身份证号不正确，请核对' } });
    const k = randomUUID();
    const applied = await send(resident, 'POST', '/api/volunteer/application', form, k);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ idNumberMasked: '1101**********002X', reviewState: 'pending' });
    const resent = await send(resident, 'POST', '/api/volunteer/application', form, k);
    expect(resent.body).toEqual(applied.body);
    texts.push(applied.text, resent.text);
    texts.push((await send(resident, 'GET', '/api/volunteer/application')).text);
    const listed = await send(staff, 'GET', `/api/staff/communities/${SEED.sunshine}/applications`);
    texts.push(listed.text);
    expect((await send(other, 'GET', `/api/staff/communities/${SEED.sunshine}/applications`)).status).toBe(
      403,
    );
    const approved = await send(staff, 'POST', `/api/staff/volunteers/${SEED.residentWang}/review`, {
      decision: 'approve',
    });
    expect(approved.body.status).toBe('approved');
    texts.push(approved.text);
    for (const text of texts) {
      expect(text).not.toContain(ID_NUMBER);
      expect(text).not.toContain(ID_NUMBER.slice(4, 14));
    }
    const { rows } = await t.admin.query<{ id_number_cipher: string }>(
      'select id_number_cipher from public.volunteer_profiles where user_id = $1',
      [SEED.residentWang],
    );
    expect(openIdNumber(rows[0]?.id_number_cipher as string, Buffer.from(TEST_ID_NUMBER_KEY, 'hex'))).toBe(
      ID_NUMBER,
    );
  });
});
