import type { z } from 'zod';
import type {
  goodsView,
  ledgerEntryView,
  redemptionView,
  volunteerBalanceView,
  walletView,
} from '../schemas/views';

export type LedgerEntry = z.infer<typeof ledgerEntryView>;

export type Wallet = z.infer<typeof walletView>;

export type Goods = z.infer<typeof goodsView>;

export type Redemption = z.infer<typeof redemptionView>;

export type VolunteerBalance = z.infer<typeof volunteerBalanceView>;
