/**
 * The layer rules are lint rules (eslint.config.js), so a forbidden import fails `npm run lint`. Each case
 * lints a snippet as if it sat at a path in the repository, with the project's own configuration.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('layer boundaries (eslint.config.js)', () => {
  it.each([
    ['server/x.ts', "import { startFleet } from '../simulators/fleet/fleet';\nexport const f = startFleet;\n"],
    ['server/domain/env/x.ts', "import { App } from '../../../client/wall/WallApp';\nexport const a = App;\n"],
    ['client/wall/x.ts', "import { createApp } from '../../server/app';\nexport const c = createApp;\n"],
    ['simulators/fleet/x.ts', "import { Ingest } from '../../server/ingest/ingest';\nexport const i = Ingest;\n"],
    ['shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['shared/x.ts', "import { DeviceTable } from '../server/devices/deviceTable';\nexport const d = DeviceTable;\n"],
  ])('refuses the import in %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it('lets every side import shared/', async () => {
    for (const file of ['server/x.ts', 'client/wall/x.ts', 'simulators/fleet/x.ts']) {
      const depth = file.split('/').length - 1;
      const code = `import { PROTOCOL_VERSION } from '${'../'.repeat(depth)}shared/protocol';\nexport const v = PROTOCOL_VERSION;\n`;
      expect(await ruleIds(file, code), file).toEqual([]);
    }
  });

  it.each([
    ['server/domain/env/x.ts', 'export const t = () => Date.now();\n', 'no-restricted-properties'],
    ['server/alarms/x.ts', 'export const t = () => new Date();\n', 'no-restricted-syntax'],
    ['server/alarms/x.ts', 'export const t = () => setTimeout(() => undefined, 1);\n', 'no-restricted-globals'],
    ['server/domain/traffic/x.ts', 'export const t = () => setInterval(() => undefined, 1);\n', 'no-restricted-globals'],
  ])('refuses the wall clock and timers in %s', async (file, code, rule) => {
    expect(await ruleIds(file, code)).toContain(rule);
  });

  it('allows timers outside the pure domain code', async () => {
    expect(await ruleIds('server/x.ts', 'export const t = () => setTimeout(() => Date.now(), 1);\n')).toEqual([]);
  });
});
