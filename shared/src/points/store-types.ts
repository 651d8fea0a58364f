import type { RedemptionStatus } from './points';

export interface LedgerEntry {
  transferId: number;
  kind: 'earn' | 'redeem' | 'refund' | 'adjust' | 'reversal';
  amount: number;
  memo: string;
  at: string;
  referenceType: string;
  referenceId: string;
  reversesTransferId: number | null;
  reversed: boolean;
}

export interface Wallet {
  userId: string;
  name: string;
  balance: number;
  serviceMinutes: number;
  serviceCount: number;
  entries: LedgerEntry[];
}

export interface Goods {
  id: string;
  communityId: string;
  name: string;
  description: string;
  photoUrl: string;
  donor: string;
  pricePoints: number;
  monthlyLimit: number;
  stock: number;
  status: 'active' | 'inactive';
  version: number;
  redeemedThisMonth?: number;
}

export interface Redemption {
  id: string;
  goodsId: string;
  goodsName: string;
  volunteerId: string;
  volunteerName: string;
  quantity: number;
  points: number;
  status: RedemptionStatus;
  /** The volunteer's own code; its QR text is pickupQr.encode(pickupCode). */
  pickupCode: string | null;
  expiresAt: string;
  pickedUpAt: string | null;
  createdAt: string;
  /** cancel (the volunteer's own), pick_up (staff): private.redemption_json. */
  actions: ('cancel' | 'pick_up')[];
}

export interface VolunteerBalance {
  id: string;
  name: string;
  phone: string;
  status: string;
  balance: number;
}
