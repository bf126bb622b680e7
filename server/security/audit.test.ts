import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { sqlEngines } from '../store/sqlDbEngines';
import type { SqlDb } from '../store/sqlDb';
import { AuditLog } from './audit';

for (const engine of sqlEngines(inject('databaseUrl'))) {
  describe(`audit log on ${engine.name}`, () => {
    let db: SqlDb;
    let dispose: () => Promise<void>;
    let t = 1_000;
    beforeEach(async () => ({ db, dispose } = await engine.open()));
    afterEach(() => dispose());

    it('appends and reads newest first, filtered by action and actor', async () => {
      const log = await AuditLog.open(db, () => (t += 1000));
      await log.append({ actor: 'admin', action: 'login.success', address: '10.0.0.5' });
      await log.append({ actor: 'an', action: 'login.failure', detail: { reason: 'password' } });
      await log.append({ actor: 'an', action: 'plate.unmask', target: 'v-17', detail: { reason: 'Cảnh sát giao thông yêu cầu' } });
      const all = await log.query();
      expect(all.map((e) => e.action)).toEqual(['plate.unmask', 'login.failure', 'login.success']);
      expect(all[0]).toMatchObject({ actor: 'an', target: 'v-17', detail: { reason: 'Cảnh sát giao thông yêu cầu' } });
      expect((await log.query({ actor: 'an', action: 'login.failure' })).map((e) => e.detail)).toEqual([{ reason: 'password' }]);
      expect(await log.query({ limit: 1, before: all[0]!.id })).toHaveLength(1);
    });

    it('refuses to change or delete a row (append-only in the database itself)', async () => {
      const log = await AuditLog.open(db, () => 5);
      await log.append({ actor: 'admin', action: 'user.create', target: 'an' });
      await expect(db.run("UPDATE audit_log SET actor = 'someone'")).rejects.toThrow(/append-only/);
      await expect(db.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      expect(await log.query()).toHaveLength(1);
    });
  });
}
