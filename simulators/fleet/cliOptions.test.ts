import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TELEMETRY_SCHEMAS } from '../../shared/mqtt';
import { type ProvinceSlug } from '../../shared/provinces';
import { PROVINCES } from '../registry/catalog';
import { UsageError, formatStatus, formatSummary, loadRegistry, parseCliArgs, registryPathFor } from './cliOptions';
import type { FleetStats } from './fleet';
import { makeDevice, makeRegistry } from './fixtures';
import { signalsFor } from './signals';

describe('parseCliArgs', () => {
  it('has defaults for everything', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      province: 'quang-ngai',
      mqttUrl: 'mqtt://127.0.0.1:1883',
      scenario: 'normal-day',
      seed: undefined,
      speed: 1,
      backfillHours: undefined,
      backfillRate: 5000,
      durationSec: undefined,
      concurrency: 64,
      registryPath: registryPathFor('quang-ngai'),
      statusEverySec: 5,
      rehearsal: false,
      fromHours: 0,
    });
  });

  it('reads every option, and MQTT_URL from the environment', () => {
    const o = parseCliArgs(
      ['--province', 'ha-tinh', '--seed', '7', '--speed', '2.5', '--duration', '30', '--concurrency', '8', '--status-every', '60', '--rehearsal', '--from', '3.5'],
      { MQTT_URL: 'mqtt://broker:1883' },
    );
    expect(o).toMatchObject({ province: 'ha-tinh', mqttUrl: 'mqtt://broker:1883', seed: 7, speed: 2.5, durationSec: 30, concurrency: 8, statusEverySec: 60, rehearsal: true, fromHours: 3.5 });
    expect(o.registryPath).toMatch(/shared[/\\]provinces[/\\]ha-tinh[/\\]devices\.json$/);
    expect(parseCliArgs(['--mqtt', 'ws://x:8080/mqtt'], { MQTT_URL: 'mqtt://y' }).mqttUrl).toBe('ws://x:8080/mqtt');
    expect(parseCliArgs(['--scenario', 'flood', '--backfill-hours', '0', '--backfill-rate', '200'])).toMatchObject({
      scenario: 'flood',
      backfillHours: 0,
      backfillRate: 200,
    });
    expect(parseCliArgs([], { MQTT_URL: '' }).mqttUrl).toBe('mqtt://127.0.0.1:1883');
    expect(parseCliArgs(['--kinds', 'air-station, rain-gauge']).kinds).toEqual(['air-station', 'rain-gauge']);
    expect(parseCliArgs([]).kinds).toBeUndefined();
  });

  it.each([
    [['--province', 'hanoi'], /unknown province "hanoi" \(known: [a-z, -]*quang-ngai[a-z, -]*\)/],
    [['--mqtt', 'localhost:1883'], /--mqtt: unsupported protocol localhost:/],
    [['--mqtt', 'nonsense'], /--mqtt: not a URL/],
    [['--speed', '0'], /--speed must be/],
    [['--speed', 'fast'], /--speed must be/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--duration=-1'], /--duration must be/],
    [['--concurrency', '0'], /--concurrency must be/],
    [['--scenario', 'tsunami'], /unknown scenario "tsunami" \(known: normal-day, flood, flash-flood, dry-season, pollution, rush-hour-crash, faults\)/],
    [['--backfill-hours', '48'], /--backfill-hours must be a number of hours in 0\.\.47/],
    [['--backfill-rate', '0'], /--backfill-rate must be/],
    [['--kinds', 'air-station,volcano'], /--kinds: unknown kind "volcano"/],
    [['--kinds', ','], /--kinds: unknown kind ""/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('loadRegistry', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });
  async function file(content: string): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'ioc-sim-'));
    const path = join(dir, 'devices.json');
    await writeFile(path, content);
    return path;
  }

  it('loads a valid registry', async () => {
    const registry = makeRegistry([makeDevice('air-station')]);
    await expect(loadRegistry(await file(JSON.stringify(registry)))).resolves.toEqual(registry);
  });

  it('says what is wrong with a missing, malformed or invalid file', async () => {
    await expect(loadRegistry('/nonexistent/devices.json', 'quang-ngai')).rejects.toThrow(/ENOENT.*registry:generate/);
    await expect(loadRegistry(await file('{"province":'))).rejects.toThrow(/not valid JSON/);
    const bad = makeRegistry([{ ...makeDevice('air-station'), id: 'has space' }]);
    await expect(loadRegistry(await file(JSON.stringify(bad)))).rejects.toThrow(/does not match the schema[\s\S]*devices\[0\]\.id/);
  });
});

describe('checked-in registries', () => {
  const slugs = Object.keys(PROVINCES) as ProvinceSlug[];
  it.each(slugs)('%s: every device gets a signal model and its first report is valid', async (slug) => {
    const path = registryPathFor(slug);
    expect(existsSync(path), `${path} is checked in`).toBe(true);
    const registry = await loadRegistry(path, slug);
    const t = Date.UTC(2025, 9, 15, 1);
    for (const device of registry.devices) {
      const s = signalsFor(device, { seed: registry.seed, plateCodes: PROVINCES[slug]!.plateCodes });
      const parsed = TELEMETRY_SCHEMAS[device.type].safeParse(s.report(t).telemetry);
      expect(parsed.success, device.id).toBe(true);
    }
  });
});

describe('formatting', () => {
  const stats: FleetStats = {
    devices: 2300,
    connected: 2299,
    published: 123456,
    errors: 0,
    dropped: 3,
    ratePerSec: 41.27,
    phase: { index: 2, total: 7, name: 'torrential rain upstream' },
    simNow: 1_000 + 95 * 60_000,
    backfill: { devices: 136, done: 100, sent: 30_000, total: 39_168, durationMs: null },
    learning: { devices: 0, done: 0, sent: 0, total: 0, durationMs: null },
    faults: {},
  };
  it('formats the status line with the phase, the simulated time and the backfill while it runs', () => {
    expect(formatStatus(stats, 83_000, 1_000)).toBe(
      'phase 3/7 torrential rain upstream · sim +1 h 35 min · connected 2299/2300 · backfill 30,000/39,168 · 41.3 msg/s · total 123,456 · dropped 3 · 00:01:23',
    );
    const done = { ...stats, backfill: { ...stats.backfill, done: 136, sent: 39_168, durationMs: 9_800 } };
    expect(formatStatus(done, 83_000)).toBe('phase 3/7 torrential rain upstream · connected 2299/2300 · 41.3 msg/s · total 123,456 · dropped 3 · 00:01:23');
  });

  it('formats the summary, with the backfill and the faults sent', () => {
    const done = { ...stats, backfill: { ...stats.backfill, done: 136, sent: 39_168, durationMs: 9_800 }, faults: { badJson: 4, duplicate: 9 } };
    expect(formatSummary(done, 3_600_000)).toBe(
      'stopped after 01:00:00: 123,456 messages (34.3/s on average) from 2300 devices, 0 errors, 3 dropped; ' +
        'last phase: torrential rain upstream; backfill 39,168/39,168 readings in 9.8 s; faults sent: badJson 4, duplicate 9',
    );
  });
});
