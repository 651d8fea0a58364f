import type { SubscriptionResultsBody } from '@llb/shared';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { api } from './api';

/** The natural taps that ask for 订阅消息: placing an order (接单和完成提醒), opening offers (新任务提醒). */
export type SubscribeMoment = 'order' | 'offers';

/** GET /api/me/subscriptions/templates: the template ids to ask for at each moment; empty when WeChat isn't configured. */
export type SubscriptionTemplates = Partial<Record<SubscribeMoment, string[]>>;

/** What the person answered for each template (POST /api/me/subscriptions): each accept is one sending credit. */
export type SubscriptionResults = SubscriptionResultsBody['results'];

const ANSWERS = new Set(['accept', 'reject', 'ban', 'filter']);

// The ids are the deployment's: one read per app run. WeChat lets requestSubscribeMessage run only
// inside the tap itself, so the ids must be at hand before the tap, not fetched during it.
let templates: SubscriptionTemplates | null = null;
let loading: Promise<SubscriptionTemplates> | null = null;

function loadTemplates(): Promise<SubscriptionTemplates> {
  if (templates) return Promise.resolve(templates);
  if (!loading) {
    loading = api
      .subscriptionTemplates()
      .then((found) => {
        templates = found;
        return found;
      })
      .catch((error: unknown) => {
        loading = null;
        // Not deployed yet (404) or not configured: nothing to ask for, this run.
        if ((error as { status?: number }).status === 404) templates = {};
        return {};
      });
  }
  return loading;
}

async function ask(ids: string[]): Promise<boolean> {
  try {
    // Taro's option type wants Alipay's entityIds too; WeChat takes tmplIds alone.
    const option = { tmplIds: ids } as Taro.requestSubscribeMessage.Option;
    // A success answers with one key per template id: accept, reject, ban (or filter, when WeChat held it back).
    const answer = (await Taro.requestSubscribeMessage(option)) as unknown as Record<string, unknown>;
    const results: SubscriptionResults = {};
    for (const id of ids) {
      const said = answer[id];
      if (typeof said === 'string' && ANSWERS.has(said)) results[id] = said as SubscriptionResults[string];
    }
    if (Object.keys(results).length > 0) await api.recordSubscriptions(results);
    return Object.values(results).includes('accept');
  } catch {
    // Refused, dismissed or offline: the in-app inbox still gets every message.
    return false;
  }
}

/**
 * 订阅消息 for one moment (weapp only; elsewhere never available): `ask` must be called from the
 * user's tap and resolves to whether at least one reminder was accepted.
 */
export function useSubscribe(moment: SubscribeMoment): { available: boolean; ask: () => Promise<boolean> } {
  const weapp = process.env.TARO_ENV === 'weapp';
  const [ids, setIds] = useState<string[]>(() => (weapp ? (templates?.[moment] ?? []) : []));
  useEffect(() => {
    if (weapp) void loadTemplates().then((found) => setIds(found[moment] ?? []));
  }, [weapp, moment]);
  return {
    available: ids.length > 0,
    ask: () => (ids.length > 0 ? ask(ids) : Promise.resolve(false)),
  };
}
