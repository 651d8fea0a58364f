import type { Policy } from '@llb/shared';
import { useEffect, useState } from 'react';
import { api } from './api';

// Policy numbers are the deployment's, not the user's: one read per app run is enough.
let cached: Promise<Policy> | null = null;

/** The deployment's policy numbers (from GET /api/me), for texts and form limits; never copied into a page. */
export function loadPolicy(): Promise<Policy> {
  if (!cached) {
    cached = api.me().then((me) => me.policy);
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

/** The policy once it has arrived; null meanwhile (texts that need it wait for it). */
export function usePolicy(): Policy | null {
  const [policy, setPolicy] = useState<Policy | null>(null);
  useEffect(() => {
    loadPolicy()
      .then(setPolicy)
      .catch(() => setPolicy(null));
  }, []);
  return policy;
}
