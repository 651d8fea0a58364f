import { z } from 'zod';

/** 消息 page by page: the items before this id. */
export const inboxQuery = z.object({
  before: z.coerce
    .number({ error: '消息编号不正确' })
    .int({ error: '消息编号不正确' })
    .positive({ error: '消息编号不正确' })
    .optional(),
});

/** Mark one message read, or all of them when no id is given. */
export const markReadBody = z.object({
  id: z.int({ error: '消息编号不正确' }).positive({ error: '消息编号不正确' }).nullish(),
});
