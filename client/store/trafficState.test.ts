import { describe, expect, it } from 'vitest';
import {
  CLOSED_INCIDENTS_CAP,
  FEED_CAP,
  PULSE_CAP,
  PULSE_MS,
  TrafficState,
  VOLUME_CAP,
} from './trafficState';
import {
  makeIncident,
  makeSegmentState,
  makeTrafficDelta,
  makeTrafficSnapshot,
  makeViolation,
  makeViolationSummary,
} from '../test-support/fixtures';

function committed(t: TrafficState) {
  t.commit();
  return { s: t.segmentsVersion, i: t.incidentsVersion, f: t.feedVersion, v: t.volumeVersion, p: t.pulseVersion };
}

describe('TrafficState: snapshot then deltas', () => {
  it('takes a snapshot whole: segments, incidents, feed newest first, summary, volume', () => {
    const t = new TrafficState();
    t.applySnapshot(
      makeTrafficSnapshot({
        segments: [makeSegmentState({ id: 'a', los: 'F' }), makeSegmentState({ id: 'b', los: 'noData', speedKmh: null })],
        incidents: [makeIncident({ id: 'x' })],
        violations: {
          summary: makeViolationSummary({ total: 2 }),
          feed: [makeViolation({ id: 'old', ts: 1 }), makeViolation({ id: 'new', ts: 2 })],
        },
        volume: [
          [1000, 5],
          [2000, 6],
        ],
      }),
    );
    expect(t.hasData).toBe(true);
    expect(t.segments.get('a')!.los).toBe('F');
    expect(t.segments.get('b')!.los).toBe('noData');
    expect(t.openIncidents().map((i) => i.id)).toEqual(['x']);
    expect(t.feed.map((v) => v.id)).toEqual(['new', 'old']);
    expect(t.summary!.total).toBe(2);
    expect(t.volume).toEqual([
      [1000, 5],
      [2000, 6],
    ]);
    // A snapshot's violations are history: no pulses for them.
    expect(t.pulses).toEqual([]);
  });

  it('applies deltas: changed segments, incident updates and closes, new violations with pulses, summary, volume', () => {
    const t = new TrafficState();
    t.applySnapshot(makeTrafficSnapshot({ segments: [makeSegmentState({ id: 'a', los: 'A' })] }));
    const v0 = committed(t);
    t.applyDelta(
      makeTrafficDelta({
        segments: [makeSegmentState({ id: 'a', los: 'E', speedKmh: 25 })],
        incidents: [makeIncident({ id: 'x', worstSpeedKmh: 12 })],
        violations: [makeViolation({ id: 'v1', ts: 10 }), makeViolation({ id: 'v2', ts: 11, cameraId: 'cam-2' })],
        summary: makeViolationSummary({ total: 2 }),
        volume: [[3000, 7]],
      }),
      5_000,
    );
    const v1 = committed(t);
    expect(v1).toEqual({ s: v0.s + 1, i: v0.i + 1, f: v0.f + 1, v: v0.v + 1, p: v0.p + 1 });
    expect(t.segments.get('a')).toMatchObject({ los: 'E', speedKmh: 25 });
    expect(t.feed.map((v) => v.id)).toEqual(['v2', 'v1']);
    expect(t.livePulses(5_000 + PULSE_MS - 1).map((p) => p.cameraId)).toEqual(['qng-cam-0001', 'cam-2']);
    expect(t.livePulses(5_000 + PULSE_MS)).toEqual([]);

    t.applyDelta(makeTrafficDelta({ incidents: [makeIncident({ id: 'x', state: 'closed', closedAt: 9 })] }), 6_000);
    expect(t.openIncidents()).toEqual([]);
    expect(t.incidents.get('x')!.state).toBe('closed');
  });

  it('moves no version when a delta repeats what it holds', () => {
    const t = new TrafficState();
    t.applySnapshot(makeTrafficSnapshot({ segments: [makeSegmentState({ id: 'a' })], volume: [[1000, 5]] }));
    const v0 = committed(t);
    t.applyDelta(makeTrafficDelta({ segments: [makeSegmentState({ id: 'a' })], volume: [[1000, 5]] }), 1);
    expect(committed(t)).toEqual(v0);
  });

  it('ignores a violation it already holds (a redelivery)', () => {
    const t = new TrafficState();
    t.applySnapshot(makeTrafficSnapshot());
    t.applyDelta(makeTrafficDelta({ violations: [makeViolation({ id: 'v1' })] }), 1);
    t.applyDelta(makeTrafficDelta({ violations: [makeViolation({ id: 'v1' })] }), 2);
    expect(t.feed).toHaveLength(1);
    expect(t.pulses).toHaveLength(1);
  });
});

describe('TrafficState: bounds', () => {
  it('keeps the newest FEED_CAP violations and PULSE_CAP pulses, however many arrive', () => {
    const t = new TrafficState();
    t.applySnapshot(makeTrafficSnapshot());
    for (let k = 0; k < 1000; k++) {
      t.applyDelta(makeTrafficDelta({ violations: [makeViolation({ id: `a${k}`, ts: k }), makeViolation({ id: `b${k}`, ts: k })] }), k);
    }
    expect(t.feed).toHaveLength(FEED_CAP);
    expect(t.feed[0]!.id).toBe('b999');
    expect(t.pulses.length).toBeLessThanOrEqual(PULSE_CAP);
    t.applyDelta(makeTrafficDelta({ violations: Array.from({ length: 500 }, (_, k) => makeViolation({ id: `c${k}` })) }), 2000);
    expect(t.feed).toHaveLength(FEED_CAP);
    expect(t.feed[0]!.id).toBe('c499');
    expect(t.pulses).toHaveLength(PULSE_CAP);
  });

  it('keeps 24 h of volume samples', () => {
    const t = new TrafficState();
    t.applySnapshot(makeTrafficSnapshot({ volume: Array.from({ length: 500 }, (_, k) => [k * 300_000, k] as [number, number]) }));
    expect(t.volume).toHaveLength(VOLUME_CAP);
    for (let k = 500; k < 1500; k++) t.applyDelta(makeTrafficDelta({ volume: [[k * 300_000, k]] }), k);
    expect(t.volume).toHaveLength(VOLUME_CAP);
    expect(t.volume[VOLUME_CAP - 1]).toEqual([1499 * 300_000, 1499]);
  });

  it('keeps the open incidents and only the latest closed ones', () => {
    const t = new TrafficState();
    t.applySnapshot(makeTrafficSnapshot({ incidents: [makeIncident({ id: 'open-1' })] }));
    for (let k = 0; k < 100; k++) {
      t.applyDelta(makeTrafficDelta({ incidents: [makeIncident({ id: `c${k}`, state: 'closed', closedAt: k })] }), k);
    }
    expect(t.incidents.size).toBe(1 + CLOSED_INCIDENTS_CAP);
    expect(t.openIncidents().map((i) => i.id)).toEqual(['open-1']);
    expect(t.incidents.has('c99')).toBe(true);
    expect(t.incidents.has('c0')).toBe(false);
  });
});
