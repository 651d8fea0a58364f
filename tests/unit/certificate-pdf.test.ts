import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import { clockRange, hours, shanghaiDay } from '../../functions/src/certificates/format';
import {
  type CertificateDocument,
  type CertificateRecordLine,
  renderCertificatePdf,
} from '../../functions/src/certificates/pdf';
import { REPO_ROOT } from '../../functions/src/db/paths';
import { pdfText, renderFirstPagePng, renderPage } from '../support/pdf';

const LONG_PLACE =
  '幸福社区 第三网格 幸福里小区 12 号楼 3 单元 502 室 居民家中（进小区东门后右转，走楼梯上楼）';
const PROJECTS = [
  '智慧助老·手机使用指导',
  '四点半课堂·作业辅导与阅读陪伴（小学一至三年级，每周二、四下午）',
  '家电小修',
];

function record(i: number): CertificateRecordLine {
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String(Math.floor(i / 28) + 3).padStart(2, '0');
  const minutes = 45 + (i % 4) * 30;
  const start = new Date(`2026-${month}-${day}T09:00:00+08:00`);
  return {
    servedOn: `2026-${month}-${day}`,
    startedAt: i % 10 === 9 ? null : start.toISOString(),
    endedAt: i % 10 === 9 ? null : new Date(start.getTime() + minutes * 60_000).toISOString(),
    projectTitle: PROJECTS[i % 3] ?? '',
    content: i % 2 ? '上门服务' : '课堂辅导',
    place: i % 5 === 0 ? LONG_PLACE : '幸福社区 党群服务中心',
    minutes,
    recordedBy: i % 3 ? '居民确认' : '社区工作人员 张敏',
  };
}

const records = Array.from({ length: 60 }, (_, i) => record(i));
const totalMinutes = records.reduce((sum, r) => sum + r.minutes, 0);

const certificate: CertificateDocument = {
  serial: 'LLB2026-000012',
  verifyCode: '7F3A9C21B0DE',
  verifyUrl: 'https://llb.example.cn/verify?serial=LLB2026-000012',
  volunteerName: '欧阳娜娜·阿卜杜热合曼·买买提',
  idNumberMasked: '1101**********1234',
  volunteerNumber: 'V11010500027',
  periodStart: '2026-03-01',
  periodEnd: '2026-06-30',
  totalMinutes,
  serviceCount: records.length,
  issuer: {
    name: '幸福社区居民委员会',
    streetName: '和平街道',
    address: '北京市东城区和平街道幸福里 8 号 党群服务中心一层',
    phone: '010-64012345',
  },
  handlerName: '张敏',
  issuedAt: '2026-06-30T17:30:00Z', // 7 月 1 日 in Shanghai
  records,
};

let pdf: Buffer;
let text: string;
let compact: string;
const artifact = join(REPO_ROOT, 'tests', 'e2e', 'artifacts', 'certificate-page1.png');

beforeAll(async () => {
  pdf = await renderCertificatePdf(certificate);
  text = await pdfText(pdf);
  // Lines wrap anywhere in Chinese: compare without the breaks and spaces.
  compact = text.replace(/\s+/g, '');
}, 60_000);

describe('the 志愿服务证明 PDF', () => {
  it('is an A4 PDF with a subset of the Chinese font embedded', () => {
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(raw).toMatch(/\/FontFile2 /);
    expect(raw).toMatch(/\/ToUnicode /);
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(pdf.length).toBeLessThan(1_500_000);
  });

  it('reads back in Chinese: volunteer, issuer, serial, verify code, hours as printed', () => {
    expect(compact.startsWith('志愿服务证明')).toBe(true); // the title, letter-spaced
    expect(compact).toContain(certificate.volunteerName);
    expect(compact).toContain('1101**********1234');
    expect(compact).toContain('志愿者编号：V11010500027');
    expect(compact).toContain('2026年3月1日至2026年6月30日');
    expect(compact).toContain(`${(totalMinutes / 60).toFixed(1)}小时（${totalMinutes}分钟）`);
    expect(compact).toContain('累计服务60次');
    expect(compact).toContain('幸福社区居民委员会（和平街道）');
    expect(compact).toContain('010-64012345');
    expect(compact).toContain('经办人：张敏');
    expect(compact).toContain('开具日期：2026年7月1日');
    expect(compact).toContain('证明编号：LLB2026-000012');
    expect(compact).toContain('验证码：7F3A9C21B0DE');
    expect(compact).toContain(certificate.verifyUrl);
    expect(compact).toContain('《志愿服务记录与证明出具办法》（民政部令第67号）');
  });

  it('lists every record with its Shanghai times and wraps long places inside the cell', () => {
    expect(compact).toContain('09:00–09:45');
    expect(compact).toContain('09:00–11:15');
    expect(compact.split('2026-03-01').length - 1).toBe(1);
    expect(compact.split('2026-05-04').length - 1).toBe(1); // the 60th record
    // The long place is printed whole (wrapped, not cut) every time it occurs.
    expect(compact.split(LONG_PLACE.replace(/\s+/g, '')).length - 1).toBe(12);
  });

  it('runs over several pages, each numbered, with the table header repeated', () => {
    const pages = text.split('\f');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      const flat = page.replace(/\s+/g, '');
      expect(flat).toContain(`第${i + 1}页共${pages.length}页`);
      expect(flat).toContain('服务日期');
    });
    expect(compact).toContain('第1页');
  });

  it('never prints a whole ID number', () => {
    expect(compact).not.toMatch(/\d{17}[\dXx]/);
  });

  it('ends with a QR code, drawn as vector squares, that decodes to the verify URL', async () => {
    expect(pdf.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
    const last = await renderPage(pdf, -1, 2);
    expect(jsQR(last.rgba, last.width, last.height)?.data).toBe(certificate.verifyUrl);
  });

  it('writes page 1 as a PNG for people to look at', async () => {
    await renderFirstPagePng(pdf, artifact);
    const file = await stat(artifact);
    expect(file.size).toBeGreaterThan(50_000);
  });

  it('refuses a certificate without records and a whole ID number', async () => {
    await expect(renderCertificatePdf({ ...certificate, records: [] })).rejects.toThrow('至少要有一条');
    await expect(
      renderCertificatePdf({ ...certificate, idNumberMasked: '110105199001011234' }),
    ).rejects.toThrow('遮挡');
  });
});

describe('certificate dates and hours', () => {
  it('shows hours with one decimal', () => {
    expect(hours(750)).toBe('12.5');
    expect(hours(45)).toBe('0.8');
    expect(hours(0)).toBe('0.0');
  });

  it('shows clock times in Shanghai, marking an end after midnight', () => {
    expect(clockRange('2026-03-01T01:00:00Z', '2026-03-01T02:30:00Z')).toBe('09:00–10:30');
    expect(clockRange('2026-03-01T15:30:00Z', '2026-03-01T16:30:00Z')).toBe('23:30–次日00:30');
    expect(clockRange('2026-03-01T01:00:00Z', null)).toBe('09:00 起');
    expect(clockRange(null, null)).toBe('—');
    expect(shanghaiDay('2026-06-30T17:30:00Z')).toBe('2026-07-01');
  });
});
