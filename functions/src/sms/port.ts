/** What a provider answered for one message: sent, try again later, or refused for good (quota, bad number, template). */
export type SmsOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; reason: string }
  | { kind: 'refused'; reason: string };

/** The SMS port: one message to one mainland number (11 digits) with an approved template's parameters. */
export interface SmsProvider {
  send(phone: string, templateId: string, params: string[]): Promise<SmsOutcome>;
}
