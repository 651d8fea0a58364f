// Subscribe-message and SMS templates are deployment configuration: which
// template an event goes out with, and how the event's facts
// (notifications.data, title, body) fill its keywords or parameters.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatKeyword, KEYWORD_TYPES, type KeywordType, truncate } from './keywords';

const eventName = z.string().regex(/^[a-z_]{2,40}$/, { error: 'event names are like order_accepted' });
const factName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, { error: 'from names a fact such as projectTitle, time, title' });
const templateId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'a template id is letters, digits, _ and -' });

const keywordSpec = z.union([
  z.strictObject({ from: factName, type: z.enum(KEYWORD_TYPES), fallback: z.string().max(20).optional() }),
  z.strictObject({ value: z.string().min(1).max(32), type: z.enum(KEYWORD_TYPES) }),
]);

const wechatTemplateSpec = z.strictObject({
  templateId,
  /** The page the message opens; default: the notification's own page. */
  page: z
    .string()
    .regex(/^\/?[A-Za-z0-9/_-]+(\?[A-Za-z0-9=&_-]*)?$/)
    .optional(),
  keywords: z.record(
    z.string().regex(/^[a-z_]+\d+$/, { error: 'keyword names are like thing1, time2' }),
    keywordSpec,
  ),
});

/** Natural taps of the app and the events whose templates each asks for (at most 3 templates a tap). */
export const DEFAULT_TAPS: Record<string, string[]> = {
  order: ['order_accepted', 'volunteer_arrived', 'service_done'],
  offers: ['offer_made', 'task_assigned', 'order_released'],
  store: ['goods_ready', 'pickup_expiring'],
};

export const wechatTemplatesSchema = z.strictObject({
  /** miniprogram_state of what the message opens: formal (released), trial, developer. */
  state: z.enum(['formal', 'trial', 'developer']).default('formal'),
  events: z.record(eventName, wechatTemplateSpec),
  taps: z.record(z.string().regex(/^[a-z_]{2,20}$/), z.array(eventName).max(10)).optional(),
});
export type WechatTemplates = z.infer<typeof wechatTemplatesSchema>;
export type WechatTemplate = z.infer<typeof wechatTemplateSpec>;

const smsParam = z.union([
  factName,
  z.strictObject({
    from: factName,
    max: z.int().min(1).max(100).optional(),
    fallback: z.string().max(20).optional(),
  }),
]);
export const smsTemplatesSchema = z.record(
  eventName,
  z.strictObject({
    templateId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    params: z.array(smsParam).max(10),
  }),
);
export type SmsTemplates = z.infer<typeof smsTemplatesSchema>;

/** What one notification says, as the sender reads it from claim_deliveries. */
export interface NotificationFacts {
  event: string;
  title: string;
  body: string;
  page: string | null;
  data: Record<string, unknown>;
}

function fact(n: NotificationFacts, name: string): unknown {
  if (name === 'title') return n.title;
  if (name === 'body') return n.body;
  return n.data[name];
}

/** The `data` of subscribeMessage.send: each keyword's value within its type's limits. */
export function subscribeData(
  template: WechatTemplate,
  n: NotificationFacts,
): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const [keyword, spec] of Object.entries(template.keywords)) {
    const value =
      'value' in spec
        ? formatKeyword(spec.type as KeywordType, spec.value)
        : formatKeyword(spec.type as KeywordType, fact(n, spec.from), spec.fallback);
    out[keyword] = { value };
  }
  return out;
}

/** The page a message opens: the template's, else the notification's (WeChat wants no leading slash). */
export function subscribePage(template: WechatTemplate, n: NotificationFacts): string | undefined {
  const page = template.page ?? n.page ?? undefined;
  return page?.replace(/^\//, '');
}

/** SMS template parameters, in order; each at most `max` characters (12 unless configured). */
export function smsParams(spec: SmsTemplates[string], n: NotificationFacts): string[] {
  return spec.params.map((p) => {
    const { from, max, fallback } =
      typeof p === 'string' ? { from: p, max: undefined, fallback: undefined } : p;
    const raw = fact(n, from);
    const text = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : raw == null ? '' : String(raw);
    return truncate(text || fallback || '-', max ?? 12);
  });
}

/** event → template id: what claim_deliveries spends credits against. */
export function templateIdsByEvent(
  templates: Record<string, { templateId: string }>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(templates).map(([event, t]) => [event, t.templateId]));
}

/** For each natural tap, the distinct template ids the app asks requestSubscribeMessage for (WeChat takes ≤ 3). */
export function tapTemplateIds(templates: WechatTemplates | null): Record<string, string[]> {
  const taps = templates?.taps ?? DEFAULT_TAPS;
  return Object.fromEntries(
    Object.entries(taps).map(([tap, events]) => [
      tap,
      [
        ...new Set(
          events.flatMap((e) => {
            const t = templates?.events[e];
            return t ? [t.templateId] : [];
          }),
        ),
      ].slice(0, 3),
    ]),
  );
}

/** Reads JSON configuration from an env var, or from the file another var names; null when neither is set. */
function readJson(env: NodeJS.ProcessEnv, name: string): unknown {
  const inline = env[name]?.trim();
  const file = env[`${name}_FILE`]?.trim();
  if (!inline && !file) return null;
  const text = inline || readFileSync(file as string, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${name} 不是合法的 JSON / ${name} is not valid JSON: ${error instanceof Error ? error.message : error}`,
    );
  }
}

function parseOrExplain<S extends z.ZodType>(schema: S, input: unknown, name: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`${name} 配置不正确 / ${name} is invalid: ${problems}`);
}

/** WECHAT_TEMPLATES (JSON) or WECHAT_TEMPLATES_FILE (a path to it); null: only the inbox. */
export function loadWechatTemplates(env: NodeJS.ProcessEnv): WechatTemplates | null {
  const raw = readJson(env, 'WECHAT_TEMPLATES');
  return raw === null ? null : parseOrExplain(wechatTemplatesSchema, raw, 'WECHAT_TEMPLATES');
}

/** SMS_TEMPLATES (JSON) or SMS_TEMPLATES_FILE: event → { templateId, params }. */
export function loadSmsTemplates(env: NodeJS.ProcessEnv): SmsTemplates | null {
  const raw = readJson(env, 'SMS_TEMPLATES');
  return raw === null ? null : parseOrExplain(smsTemplatesSchema, raw, 'SMS_TEMPLATES');
}
