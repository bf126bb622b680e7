/**
 * The past, on demand: `GET /api/history/snapshot?at=` answers the wall's snapshot as it was at an instant,
 * rebuilt from the reading and alarm stores (server/history/snapshotAt.ts).
 */
import { Router, type Request, type Response } from 'express';
import { ERROR_CODES } from '../../shared/protocol';
import { historySnapshotQuerySchema } from '../../shared/requests';
import { snapshotAt, type SnapshotAtDeps } from '../history/snapshotAt';
import { allow } from './access';

export interface HistoryDeps extends SnapshotAtDeps {
  /** The domains' clock: `at` may not be after it. */
  now: () => number;
}

export function historyRoutes(deps: HistoryDeps): Router {
  const router = Router();

  router.get('/api/history/snapshot', allow('read', { provinceWide: true }), async (req: Request, res: Response) => {
    const q = historySnapshotQuerySchema.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    const now = deps.now();
    if (q.data.at > now) return badRequest(res, `at: ${new Date(q.data.at).toISOString()} is in the future (server time ${new Date(now).toISOString()})`);
    res.json(await snapshotAt(deps, q.data.at));
  });

  return router;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: { code: ERROR_CODES.BAD_REQUEST, message } });
}
