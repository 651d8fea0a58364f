import type {
  CertificateCheck,
  CertificateSummary,
  CertificateView,
  ServiceRecordList,
  ServiceRecordView,
} from '@llb/shared';
import { verifyCodeParam } from '@llb/shared';
import { Hono } from 'hono';
import { renderCertificatePdf } from '../certificates/pdf';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { recordIdParam, uuidParam } from '../http/params';
import { parseBody, parseQuery, parseWith } from '../http/parse';

/** Where the public verify page lives: PUBLIC_WEB_URL, else the origin this request came to (h5 is served there). */
function verifyUrl(c: { req: { url: string } }, base: string | null, code: string): string {
  const origin = base ?? new URL(c.req.url).origin;
  return `${origin.replace(/\/+$/, '')}/#/pages/verify/index?code=${code}`;
}

/** The public check of a 志愿服务证明 by its verification code: no session. */
export const verifyRoutes = new Hono<AppEnv>().get('/verify/:code', async (c) => {
  const code = parseWith(verifyCodeParam, c.req.param('code'));
  c.header('cache-control', 'no-store');
  return c.json(await c.var.deps.db.rpc<CertificateCheck>('verify_service_certificate', { p_code: code }));
});

/** 志愿服务记录 and 志愿服务证明: the volunteer's own, and staff's for volunteers of their community. */
export const certificateRoutes = new Hono<AppEnv>()
  .get('/volunteer/records', async (c) => {
    const { from, to } = parseQuery(c, 'GET /api/volunteer/records');
    return c.json(
      await c.var.deps.db.rpc<ServiceRecordList>('list_service_records', {
        p_actor: c.var.session.userId,
        p_volunteer_id: null,
        p_from: from ?? null,
        p_to: to ?? null,
      }),
    );
  })
  .get('/staff/volunteers/:userId/records', async (c) => {
    const { from, to } = parseQuery(c, 'GET /api/staff/volunteers/:userId/records');
    return c.json(
      await c.var.deps.db.rpc<ServiceRecordList>('list_service_records', {
        p_actor: c.var.session.userId,
        p_volunteer_id: uuidParam(c, 'userId'),
        p_from: from ?? null,
        p_to: to ?? null,
      }),
    );
  })
  .post('/staff/service-records/:recordId/corrections', async (c) => {
    const { minutes, reason } = await parseBody(c, 'POST /api/staff/service-records/:recordId/corrections');
    return c.json(
      await c.var.deps.db.rpc<ServiceRecordView>('correct_service_record', {
        p_actor: c.var.session.userId,
        p_record_id: recordIdParam(c),
        p_minutes: minutes,
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/volunteer/certificates', async (c) =>
    c.json(
      await c.var.deps.db.rpc<CertificateSummary[]>('list_service_certificates', {
        p_actor: c.var.session.userId,
        p_volunteer_id: null,
      }),
    ),
  )
  .post('/volunteer/certificates', async (c) => {
    const { from, to } = await parseBody(c, 'POST /api/volunteer/certificates');
    return c.json(
      await c.var.deps.db.rpc<CertificateView>('issue_service_certificate', {
        p_actor: c.var.session.userId,
        p_volunteer_id: null,
        p_from: from,
        p_to: to,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/staff/volunteers/:userId/certificates', async (c) =>
    c.json(
      await c.var.deps.db.rpc<CertificateSummary[]>('list_service_certificates', {
        p_actor: c.var.session.userId,
        p_volunteer_id: uuidParam(c, 'userId'),
      }),
    ),
  )
  .post('/staff/volunteers/:userId/certificates', async (c) => {
    const { from, to } = await parseBody(c, 'POST /api/staff/volunteers/:userId/certificates');
    return c.json(
      await c.var.deps.db.rpc<CertificateView>('issue_service_certificate', {
        p_actor: c.var.session.userId,
        p_volunteer_id: uuidParam(c, 'userId'),
        p_from: from,
        p_to: to,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/certificates/:certificateId', async (c) =>
    c.json(
      await c.var.deps.db.rpc<CertificateView>('get_service_certificate', {
        p_actor: c.var.session.userId,
        p_certificate_id: uuidParam(c, 'certificateId'),
      }),
    ),
  )
  .get('/certificates/:certificateId/pdf', async (c) => {
    const cert = await c.var.deps.db.rpc<CertificateView>('get_service_certificate', {
      p_actor: c.var.session.userId,
      p_certificate_id: uuidParam(c, 'certificateId'),
    });
    // The view has every field the PDF needs (records carry more than it prints).
    const pdf = await renderCertificatePdf({
      ...cert,
      verifyUrl: verifyUrl(c, c.var.deps.config.publicWebUrl, cert.verifyCode),
    });
    c.header('content-type', 'application/pdf');
    // The serial in the file name, spelled for every browser (RFC 6266 filename*).
    c.header(
      'content-disposition',
      `attachment; filename="certificate-${cert.serial}.pdf"; filename*=UTF-8''${encodeURIComponent(`志愿服务证明-${cert.serial}.pdf`)}`,
    );
    c.header('cache-control', 'private, no-store');
    return c.body(new Uint8Array(pdf));
  });
