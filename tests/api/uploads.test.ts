// Proof photos over HTTP: multipart in (as wx.uploadFile sends), the bytes judged by
// what they are, not by their name; read back only by the owner and staff of their
// community (each staff read logged); a proof must be the applicant's own photo.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../functions/src/use-cases/run-tick';
import { buildTestApp, checkAnswer, demoToken, readAnswer } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MORE, OTHER_STREET, SEED } from '../support/ids';
import { photoForm, testPhoto } from '../support/photo';

let t: TestDatabase;
let harness: ReturnType<typeof buildTestApp>;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestDatabase();
  harness = buildTestApp(t.db);
  for (const who of ['resident', 'resident-chen', 'staff', 'staff-wu', 'volunteer', 'resident-kang']) {
    tokens[who] = await demoToken(harness.call, who);
  }
});
afterAll(() => t.close());

async function send(who: string, method: string, path: string, body?: FormData | object) {
  const form = body instanceof FormData;
  const response = await harness.app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      'idempotency-key': randomUUID(),
      ...(form || body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: form ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await readAnswer(response);
  checkAnswer(method, path, response.status, answer);
  return { status: response.status, body: answer, type: response.headers.get('content-type') };
}

const upload = (who: string, bytes: Uint8Array, name?: string, type?: string) =>
  send(who, 'POST', '/api/uploads', photoForm(bytes, name, type));

describe('uploading a proof photo', () => {
  it('stores a JPEG once however often it is sent, and gives it back to its owner byte for byte', async () => {
    const photo = testPhoto(101);
    const first = await upload('resident', photo);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mime: 'image/jpeg', bytes: photo.length });
    const again = await upload('resident', photo);
    expect(again.body.id).toBe(first.body.id);
    const back = await send('resident', 'GET', first.body.url);
    expect(back.status).toBe(200);
    expect(back.type).toBe('image/jpeg');
    expect(Buffer.from(back.body as Uint8Array).equals(photo)).toBe(true);
  });

  it('judges the bytes, not the name: text called .jpg, an empty form or json are refused in Chinese', async () => {
    const fake = new TextEncoder().encode('<svg onload="alert(1)"></svg>'.repeat(10));
    for (const attempt of [
      await upload('resident', fake, 'proof.jpg', 'image/jpeg'),
      await send('resident', 'POST', '/api/uploads', new FormData()),
      await send('resident', 'POST', '/api/uploads', { file: 'x' }),
    ]) {
      expect(attempt.status).toBe(400);
      expect(attempt.body.error.message).toMatch(/照片/);
    }
    const { rows } = await t.admin.query(
      'select count(*)::int as n from public.uploads where owner_id = $1',
      [SEED.residentWang],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses a photo over the policy size with the size in words', async () => {
    await t.admin.query("update public.policies set value = 1 where key = 'upload_max_kb'");
    try {
      const big = await upload('resident', testPhoto(7, 256));
      expect(big.status).toBe(400);
      expect(big.body.error.message).toMatch(/照片太大了/);
    } finally {
      await t.admin.query("update public.policies set value = 3072 where key = 'upload_max_kb'");
    }
  });

  it('shows a photo to staff of the owner’s community only, logging each staff read', async () => {
    const mine = await upload('resident', testPhoto(102));
    expect((await send('resident-chen', 'GET', mine.body.url)).status).toBe(404);
    expect((await send('staff-wu', 'GET', mine.body.url)).status).toBe(404);
    expect((await send('staff', 'GET', mine.body.url)).status).toBe(200);
    const { rows } = await t.admin.query(
      `select viewer_id, fields from public.personal_data_access_log where subject_id = $1 and fields @> '{skill_proof}'`,
      [SEED.residentWang],
    );
    expect(rows).toEqual([{ viewer_id: SEED.staffZhang, fields: ['skill_proof'] }]);
  });

  it('takes a proof only from the applicant’s own uploads, and staff certify from it', async () => {
    const theirs = await upload('resident', testPhoto(103));
    const form = {
      realName: '陈建国',
      phone: '13912345678',
      idNumber: '11010519491231002X',
      skills: [{ code: 'repair', proofUrl: theirs.body.url }],
      availability: [],
      serviceRadiusM: 2000,
      pledge: true,
    };
    const stolen = await send('resident-chen', 'POST', '/api/volunteer/application', form);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.message).toMatch(/不是您上传的/);
    const own = await upload('resident-chen', testPhoto(104));
    const applied = await send('resident-chen', 'POST', '/api/volunteer/application', {
      ...form,
      skills: [{ code: 'repair', proofUrl: own.body.url }],
    });
    expect(applied.status).toBe(200);
    expect(applied.body.skills).toEqual([
      expect.objectContaining({ code: 'repair', proofUrl: own.body.url }),
    ]);
    expect((await send('staff', 'GET', own.body.url)).status).toBe(200);
    const certified = await send('staff', 'POST', `/api/staff/volunteers/${MORE.residentChen}/skills`, {
      skill: 'repair',
      certified: true,
      proofUrl: own.body.url,
    });
    expect(certified.body.skills[0]).toMatchObject({ code: 'repair', status: 'certified' });
  });

  it('a lost file answers in Chinese, and sending the picture again puts it back', async () => {
    const photo = testPhoto(105);
    const sent = await upload('resident', photo);
    const { rows } = await t.admin.query('select storage_key from public.uploads where id = $1', [
      sent.body.id,
    ]);
    await harness.files.remove([rows[0].storage_key]);
    const lost = await send('resident', 'GET', sent.body.url);
    expect(lost.status).toBe(404);
    expect(lost.body.error.message).toMatch(/重新上传/);
    expect((await upload('resident', photo)).body.id).toBe(sent.body.id);
    expect((await send('resident', 'GET', sent.body.url)).status).toBe(200);
  });

  it('注销 takes the photos: the rows at once, the files at the next tick', async () => {
    const sent = await upload('resident-kang', testPhoto(106));
    const { rows } = await t.admin.query('select storage_key from public.uploads where id = $1', [
      sent.body.id,
    ]);
    const key = rows[0].storage_key as string;
    expect(await harness.files.get(key)).not.toBeNull();
    expect((await send('resident-kang', 'DELETE', '/api/me')).status).toBe(200);
    expect(
      (await t.admin.query('select 1 from public.uploads where owner_id = $1', [OTHER_STREET.residentMa]))
        .rows,
    ).toEqual([]);
    const tick = await runTick(t.db, new Date(), { files: harness.files });
    expect(tick.erasedFiles).toBeGreaterThanOrEqual(1);
    expect(await harness.files.get(key)).toBeNull();
  });
});
