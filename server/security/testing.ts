/** For unit tests of parts that need sessions (the hub): an in-memory identity and the auth routes alone. */
import express, { type Express } from 'express';
import { authenticate, csrf } from '../http/access';
import { authRoutes } from '../http/authRoutes';
import { createLogger } from '../log';
import { openSqliteDb } from '../store/sqlDb';
import { Identity } from './identity';

export async function openTestIdentity(now: () => number = Date.now): Promise<Identity> {
  const { identity } = await Identity.open({ db: openSqliteDb(':memory:'), now, log: createLogger('silent'), adminPassword: 'admin-password-for-tests' });
  return identity;
}

/** Sessions and /api/auth/* only: enough to log in and hand a socket its cookie. */
export function authOnlyApp(identity: Identity): Express {
  const app = express();
  app.use(identity.sessionMiddleware, authenticate(identity), csrf());
  app.use(authRoutes({ identity, violations: { rawPlate: () => undefined, communeOf: () => null } }));
  return app;
}
