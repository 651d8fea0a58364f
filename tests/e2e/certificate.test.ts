import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hours } from '../../functions/src/certificates/format';
import { phonePage, signIn as signInAs, visible } from '../support/browser';
import { ARTIFACTS, shot, tap, useE2e } from '../support/e2e';
import { pdfText, renderFirstPagePng, renderPage } from '../support/pdf';

const e2e = useE2e();

const signIn = (name: string) => signInAs(e2e.browser, e2e.server.url, name);

/** A tab of the bottom bar (outside the page, so not through `visible`). */
const tab = (page: Page, text: string) =>
  page.locator('.taro-tabbar__tabbar').getByText(text, { exact: true }).click();

/** The certificate as the API gives it to its volunteer (for the figures the PDF must print). */
async function certificateOf(serial: string) {
  const login = await fetch(`${e2e.server.url}/api/auth/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: '{"identity":"volunteer-chen"}',
  }).then((r) => r.json());
  const list = (await fetch(`${e2e.server.url}/api/volunteer/certificates`, {
    headers: { authorization: `Bearer ${login.token}` },
  }).then((r) => r.json())) as {
    serial: string;
    verifyCode: string;
    totalMinutes: number;
    idNumberMasked: string | null;
  }[];
  const found = list.find((c) => c.serial === serial);
  if (!found) throw new Error(`certificate ${serial} not in ${JSON.stringify(list)}`);
  return found;
}

describe('志愿服务证明 in the browser', () => {
  it('a volunteer issues a certificate, downloads its PDF, and anyone can check it by its code', async () => {
    // 陈静 has confirmed services earlier this year (seed): 我的 → 志愿服务证明.
    const volunteer = await signIn('陈静');
    await tab(volunteer, '我的');
    await visible(volunteer, '.me-certificates').waitFor();
    await shot(volunteer, 'certificate-0-me');
    await tap(volunteer, '.me-certificates');
    await visible(volunteer, '.issue-submit').waitFor();
    // The period starts as this calendar year up to today.
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    await expect(visible(volunteer, '.range-from').textContent()).resolves.toBe(`${year}年1月1日 ›`);
    await tap(volunteer, '.issue-submit');
    const issued = visible(volunteer, '.just-issued .certificate');
    await issued.waitFor();
    const serial = (await issued.locator('.certificate-serial').textContent()) ?? '';
    const code = (await issued.locator('.certificate-code').textContent()) ?? '';
    expect(serial).not.toBe('');
    expect(code).toMatch(/^[0-9A-F]{12}$/);
    await expect(issued.locator('.certificate-validity').textContent()).resolves.toBe('有效');
    await shot(volunteer, 'certificate-1-issued');

    // 下载 PDF: the e2e.browser saves it under a readable name.
    const [download] = await Promise.all([
      volunteer.waitForEvent('download'),
      issued.locator('.download-pdf').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`志愿服务证明-${serial}.pdf`);
    const pdf = await readFile((await download.path()) as string);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // Its text names the volunteer, the hours and the serial (lines may break anywhere).
    const certificate = await certificateOf(serial);
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    expect(text).toContain('陈静');
    expect(text).toContain(serial);
    expect(text).toContain(`${hours(certificate.totalMinutes)}小时`);
    expect(text).toContain(`${certificate.totalMinutes}分钟`);
    await renderFirstPagePng(pdf, join(ARTIFACTS, 'certificate.png'));

    // The QR code on it opens the public verify page with this certificate's code.
    const last = await renderPage(pdf, -1);
    const qr = jsQR(last.rgba, last.width, last.height);
    expect(qr?.data).toMatch(/#\/pages\/verify\/index\?code=[0-9A-F]{12}$/);
    expect(qr?.data.endsWith(`code=${code}`)).toBe(true);

    // Someone who is not signed in (an employer, a school) checks it.
    const stranger = await phonePage(e2e.browser);
    await stranger.goto(`${e2e.server.url}/#/pages/verify/index?code=${code}`);
    const result = visible(stranger, '.verify-result');
    await result.waitFor();
    await expect(result.locator('.verify-validity').textContent()).resolves.toBe('有效');
    await expect(result.locator('.verify-serial').textContent()).resolves.toBe(serial);
    const name = (await result.locator('.verify-name').textContent()) ?? '';
    expect(name).toMatch(/^陈\*/);
    // No ID number in any form, and not the full name.
    const page = (await visible(stranger, '.verify').textContent()) ?? '';
    expect(page).not.toContain('陈静');
    expect(page).not.toMatch(/\d{4}\*+\d{3}[\dX]/);
    expect(page).not.toMatch(/\d{17}[\dX]/);
    if (certificate.idNumberMasked) expect(page).not.toContain(certificate.idNumberMasked);
    expect(page).not.toContain('身份证');
    await shot(stranger, 'certificate-2-verify');

    // A code that matches nothing gets a plain answer.
    await visible(stranger, '.verify-input input').fill('ffff-ffff-ffff');
    await tap(stranger, '.verify-submit');
    await visible(stranger, '.verify-missing').filter({ hasText: '没有找到这张证明' }).waitFor();
    expect(await visible(stranger, '.verify-result').count()).toBe(0);
    await shot(stranger, 'certificate-3-verify-not-found');
  });
});
