/** The signed-in person for components (client/net/auth.ts holds it; GET /api/auth/me fills it at start). */
import { useSyncExternalStore } from 'react';
import type { Me } from '../../shared/auth';
import { currentMe, subscribeMe } from '../net/auth';

export function useMe(): Me | null {
  return useSyncExternalStore(subscribeMe, currentMe);
}
