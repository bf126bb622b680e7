/** The replayer's pacing (fake timers), retiming and looping, against an in-memory target. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDING_KIND, type RecordedMessage, type RecordingHeader } from './format';
import { SIM_CLOCK_TOPIC } from '../../shared/simClock';
import { createReplay, retimeMap, retimePayload, type ReplayTarget } from './replayer';

const HEADER: RecordingHeader = { recording: RECORDING_KIND, version: 1, part: 0, startedAt: 0, source: 'mqtt://x', retainAsPublished: false };
const R0 = Date.UTC(2026, 0, 10, 3, 0, 0);

function msg(offsetMs: number, body: unknown, topic = 'ioc/v1/hydro/g1/telemetry'): RecordedMessage {
  return { receivedAt: R0 + offsetMs, topic, payload: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), qos: 1, retain: false, header: HEADER };
}

async function* from(list: RecordedMessage[]) {
  for (const m of list) yield m;
}

function capture(): ReplayTarget & { sent: Array<{ at: number; topic: string; payload: string; retain: boolean }> } {
  const sent: Array<{ at: number; topic: string; payload: string; retain: boolean }> = [];
  return { sent, publish: async (topic, payload, o) => void sent.push({ at: Date.now(), topic, payload: payload.toString(), retain: o.retain }) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 5, 1, 0, 0, 0) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a rehearsal replay (DIỄN TẬP)', () => {
  it('moves timestamps one to one, not compressed, and publishes a clock that runs at the speed', async () => {
    const list = [msg(0, { ts: R0, waterLevel: 1 }), msg(600_000, { ts: R0 + 600_000, waterLevel: 2 }), msg(1_200_000, { ts: R0 + 1_200_000, waterLevel: 3 })];
    const target = capture();
    const p0 = Date.now();
    const replay = createReplay({ source: () => from(list), target, speed: 60, retime: true, rehearsal: true });
    await vi.advanceTimersByTimeAsync(25_000);
    await replay.done;
    const readings = target.sent.filter((m) => m.topic !== SIM_CLOCK_TOPIC);
    // Ten recorded minutes apart, sent ten seconds apart, and still ten minutes apart in their ts.
    expect(readings.map((m) => m.at - p0)).toEqual([0, 10_000, 20_000]);
    expect(readings.map((m) => (JSON.parse(m.payload) as { ts: number }).ts - p0)).toEqual([0, 600_000, 1_200_000]);
    const clocks = target.sent.filter((m) => m.topic === SIM_CLOCK_TOPIC);
    expect(clocks.every((c) => c.retain)).toBe(true);
    const ticks = clocks.slice(0, -1).map((c) => ({ real: c.at - p0, sim: (JSON.parse(c.payload) as { simTime: number; speed: number }).simTime - p0 }));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks) expect(t.sim).toBe(t.real * 60);
    // The retained clock is cleared when the replay ends.
    expect(clocks.at(-1)!.payload).toBe('');
  });
});

describe('replay pacing', () => {
  it('keeps the recorded gaps divided by the speed', async () => {
    const list = [msg(0, { ts: R0 }), msg(1000, { ts: R0 + 1000 }), msg(1500, { ts: R0 + 1500 }), msg(4000, { ts: R0 + 4000 })];
    const target = capture();
    const p0 = Date.now();
    const replay = createReplay({ source: () => from(list), target, speed: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(target.sent.map((s) => s.at - p0)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(499);
    expect(target.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(target.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1500);
    const done = await replay.done;
    expect(target.sent.map((s) => s.at - p0)).toEqual([0, 500, 750, 2000]);
    expect(done).toMatchObject({ published: 4, errors: 0, loops: 1, recordingOffsetMs: 4000 });
    // Without --retime, payloads go out byte for byte.
    expect(target.sent.map((s) => s.payload)).toEqual(list.map((m) => m.payload.toString()));
  });

  it('with retime moves ts to the replay clock (history one to one, live compressed) and loops', async () => {
    const list = [
      msg(0, { ts: R0 - 3_600_000, waterLevel: 1 }),
      msg(0, { ts: R0, waterLevel: 2 }),
      msg(10_000, { ts: new Date(R0 + 10_000).toISOString(), waterLevel: 3 }),
      msg(20_000, 'not json {'),
      msg(20_000, '{"online":true}', 'ioc/v1/hydro/g1/status'),
    ];
    const target = capture();
    const abort = new AbortController();
    const p0 = Date.now();
    const replay = createReplay({ source: () => from(list), target, speed: 10, retime: true, loop: true, signal: abort.signal });
    await vi.advanceTimersByTimeAsync(2000);
    const firstPass = target.sent.slice(0, 5);
    expect(firstPass.map((s) => s.at - p0)).toEqual([0, 0, 1000, 2000, 2000]);
    expect(JSON.parse(firstPass[0]!.payload)).toEqual({ ts: p0 - 3_600_000, waterLevel: 1 });
    expect(JSON.parse(firstPass[1]!.payload)).toEqual({ ts: p0, waterLevel: 2 });
    expect(JSON.parse(firstPass[2]!.payload)).toEqual({ ts: new Date(p0 + 1000).toISOString(), waterLevel: 3 });
    expect(firstPass[3]!.payload).toBe('not json {');
    // Recorded over MQTT 3.1.1: a status goes out retained, as the contract has it.
    expect(firstPass[4]).toMatchObject({ payload: '{"online":true}', retain: true });
    expect(firstPass[2]!.retain).toBe(false);
    // The second pass starts where the first ended, its ts moved again.
    await vi.advanceTimersByTimeAsync(1000);
    const second = target.sent.slice(5);
    expect(second.length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(second[1]!.payload)).toEqual({ ts: p0 + 2000, waterLevel: 2 });
    abort.abort();
    await vi.advanceTimersByTimeAsync(5000);
    expect((await replay.done).loops).toBeGreaterThanOrEqual(2);
  });

  it('retime maps are continuous at the recording start and leave other payloads alone', () => {
    const map = retimeMap(1000, 50_000, 4);
    expect(map(1000)).toBe(50_000);
    expect(map(999)).toBe(49_999);
    expect(map(5000)).toBe(51_000);
    expect(retimePayload(Buffer.from('[1,2]'), map).toString()).toBe('[1,2]');
    expect(retimePayload(Buffer.from('{"ts":"yesterday"}'), map).toString()).toBe('{"ts":"yesterday"}');
    expect(retimePayload(Buffer.from([0xff, 0x00]), map)).toEqual(Buffer.from([0xff, 0x00]));
  });
});
