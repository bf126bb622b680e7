import { describe, expect, it } from 'vitest';
import { segmentNeighbours, type Segment, type SegmentLos } from '../../../shared/traffic';
import { CongestionTracker, type IncidentConfig, type IncidentChanges } from './incidents';

const MIN = 60_000;
const T0 = Date.UTC(2025, 9, 28, 0, 0, 0);

/** `n` touching 3 km segments on one road, heading south from 15.5°N. */
function makeRoad(road: string, n: number, lon = 108.8): Segment[] {
  const lat = (km: number) => Math.round((15.5 - km / 111) * 1e5) / 1e5;
  return Array.from({ length: n }, (_, i) => ({
    id: `${road.toLowerCase()}-${i + 1}`,
    road,
    name: `${road} Km ${i * 3}–${i * 3 + 3}`,
    fromKm: i * 3,
    toKm: i * 3 + 3,
    lengthKm: 3,
    freeFlowKmh: 70,
    coordinates: [
      [lon, lat(i * 3)],
      [lon, lat(i * 3 + 3)],
    ],
    commune: '21025',
    cameraIds: { forward: [`${road}-cam-${i + 1}`], backward: [] },
  }));
}

/** Drives a tracker with a scripted level per segment; returns every change with its time. */
function harness(segments: Segment[], config: Partial<IncidentConfig> = {}) {
  const tracker = new CongestionTracker(segments, config);
  const levels = new Map<string, SegmentLos>(segments.map((s) => [s.id, 'B']));
  const speeds = new Map<string, number>();
  const log: { t: number; changes: IncidentChanges }[] = [];
  let now = T0;
  const step = () => {
    const changes = tracker.update(
      segments.map((s) => ({ segmentId: s.id, los: levels.get(s.id)!, speedKmh: speeds.get(s.id) ?? null })),
      now,
    );
    log.push({ t: now - T0, changes });
    return changes;
  };
  return {
    tracker,
    log,
    /** Changes levels from now on; the tracker sees the change at once. */
    set(ids: string[], los: SegmentLos, speed?: number): IncidentChanges {
      for (const id of ids) {
        levels.set(id, los);
        if (speed !== undefined) speeds.set(id, speed);
      }
      return step();
    },
    /** Advances in 30 s ticks (the update cadence), ending exactly at +minutes. */
    run(minutes: number) {
      const end = now + minutes * MIN;
      while (now < end) {
        now = Math.min(end, now + 30_000);
        step();
      }
    },
    step,
    elapsedMin: () => (now - T0) / MIN,
    opened: () => log.flatMap((l) => l.changes.opened.map((i) => ({ ...i, at: l.t / MIN }))),
    closed: () => log.flatMap((l) => l.changes.closed.map((i) => ({ ...i, at: l.t / MIN }))),
  };
}

describe('CongestionTracker', () => {
  it('opens after 10 min of E/F, not before', () => {
    const h = harness(makeRoad('QL1A', 5));
    h.set(['ql1a-3'], 'F', 18);
    h.run(9.5);
    expect(h.tracker.open()).toEqual([]);
    h.run(0.5);
    const [inc] = h.tracker.open();
    expect(inc).toMatchObject({
      segmentId: 'ql1a-3',
      road: 'QL1A',
      startedAt: T0,
      segmentIds: ['ql1a-3'],
      lengthKm: 3,
      worstSpeedKmh: 18,
      state: 'open',
    });
    expect(h.opened().map((o) => o.at)).toEqual([10]);
    expect(inc!.openedAt - inc!.startedAt).toBe(10 * MIN);
  });

  it('does not open on a brief dip, and times a new spell from its own start', () => {
    const h = harness(makeRoad('QL1A', 5));
    h.set(['ql1a-2'], 'E', 25);
    h.run(6);
    h.set(['ql1a-2'], 'D', 30);
    h.run(1);
    h.set(['ql1a-2'], 'E', 25);
    h.run(9.5);
    expect(h.tracker.open()).toEqual([]);
    h.run(0.5);
    expect(h.opened().map((o) => o.at)).toEqual([17]);
  });

  it('closes once flow has been back at D or better for 5 min, not before', () => {
    const h = harness(makeRoad('QL1A', 5));
    h.set(['ql1a-2'], 'F', 15);
    h.run(12);
    expect(h.tracker.open()).toHaveLength(1);
    h.set(['ql1a-2'], 'D', 32);
    h.run(4.5);
    expect(h.tracker.open()).toHaveLength(1);
    h.run(0.5);
    expect(h.tracker.open()).toEqual([]);
    const [c] = h.closed();
    expect(c).toMatchObject({ state: 'closed', closeReason: 'recovered', closedAt: T0 + 17 * MIN, worstSpeedKmh: 15 });
    expect(h.tracker.closed().map((i) => i.id)).toEqual([c!.id]);
  });

  it('does not close on a brief recovery', () => {
    const h = harness(makeRoad('QL1A', 5));
    h.set(['ql1a-2'], 'E', 24);
    h.run(11);
    h.set(['ql1a-2'], 'C', 45);
    h.run(3);
    h.set(['ql1a-2'], 'E', 22);
    h.run(1);
    h.set(['ql1a-2'], 'C', 45);
    h.run(4.5);
    expect(h.closed()).toEqual([]);
    expect(h.tracker.open()[0]!.worstSpeedKmh).toBe(22);
    h.run(0.5);
    expect(h.closed().map((c) => c.at)).toEqual([20]);
    expect(h.opened()).toHaveLength(1);
  });

  it('measures the contiguous E/F run on the same road, grows with it and tracks the worst speed', () => {
    const segs = [...makeRoad('QL1A', 6), ...makeRoad('QL24', 3, 108.5)];
    const h = harness(segs);
    h.set(['ql1a-3'], 'F', 12);
    h.set(['ql24-1'], 'C', 40);
    h.run(3);
    h.set(['ql1a-2', 'ql1a-4'], 'E', 26);
    h.run(7);
    expect(h.tracker.open()).toMatchObject([{ segmentId: 'ql1a-3', segmentIds: ['ql1a-2', 'ql1a-3', 'ql1a-4'], lengthKm: 9, worstSpeedKmh: 12 }]);

    const changes = h.set(['ql1a-5'], 'E', 8);
    expect(changes.updated).toMatchObject([{ segmentIds: ['ql1a-2', 'ql1a-3', 'ql1a-4', 'ql1a-5'], lengthKm: 12, worstSpeedKmh: 8 }]);
    expect(changes.opened).toEqual([]);
    // ql1a-5 has been congested only briefly, but it joined an open incident: no second one.
    h.run(15);
    expect(h.tracker.open()).toHaveLength(1);
  });

  it('keeps one incident while the queue creeps upstream', () => {
    const h = harness(makeRoad('QL1A', 6));
    h.set(['ql1a-5'], 'F', 10);
    h.run(10);
    const [inc] = h.tracker.open();
    h.set(['ql1a-4'], 'F', 10);
    h.run(2);
    h.set(['ql1a-5'], 'C', 45);
    h.run(6);
    expect(h.tracker.open()).toMatchObject([{ id: inc!.id, segmentIds: ['ql1a-4'] }]);
    expect(h.closed()).toEqual([]);
    h.set(['ql1a-4'], 'B', 60);
    h.run(5);
    expect(h.closed().map((c) => c.id)).toEqual([inc!.id]);
  });

  it('merges two incidents whose queues join, keeping the older one', () => {
    const h = harness(makeRoad('QL1A', 5));
    h.set(['ql1a-1'], 'F', 14);
    h.run(3);
    h.set(['ql1a-3'], 'F', 9);
    h.run(10);
    const [older, younger] = h.tracker.open();
    expect([older!.segmentId, younger!.segmentId]).toEqual(['ql1a-1', 'ql1a-3']);
    h.set(['ql1a-2'], 'E', 20);
    h.run(0.5);
    expect(h.tracker.open()).toMatchObject([{ id: older!.id, segmentIds: ['ql1a-1', 'ql1a-2', 'ql1a-3'], lengthKm: 9, worstSpeedKmh: 9 }]);
    expect(h.closed()).toMatchObject([{ id: younger!.id, closeReason: 'merged' }]);
  });

  it('neither opens nor closes on missing data; a long silence closes as noData', () => {
    const h = harness(makeRoad('QL1A', 3));
    h.set(['ql1a-2'], 'F', 10);
    h.run(6);
    h.set(['ql1a-2'], 'noData');
    h.run(1);
    h.set(['ql1a-2'], 'F', 10);
    h.run(6);
    expect(h.tracker.open()).toEqual([]);
    h.run(4);
    expect(h.tracker.open()).toHaveLength(1);
    h.set(['ql1a-2'], 'noData');
    h.run(29.5);
    expect(h.tracker.open()).toHaveLength(1);
    h.run(0.5);
    expect(h.closed()).toMatchObject([{ closeReason: 'noData' }]);
  });

  it('reopens as a new incident after closing', () => {
    const h = harness(makeRoad('QL1A', 3));
    h.set(['ql1a-1'], 'E', 25);
    h.run(10);
    h.set(['ql1a-1'], 'A', 65);
    h.run(5);
    h.set(['ql1a-1'], 'E', 25);
    h.run(10);
    expect(h.opened()).toHaveLength(2);
    expect(new Set(h.opened().map((o) => o.id)).size).toBe(2);
  });

  it('is bounded: open incidents wait for room, closed history keeps the newest', () => {
    const segs = makeRoad('QL1A', 9);
    const h = harness(segs, { maxOpen: 2, maxClosed: 3 });
    const apart = ['ql1a-1', 'ql1a-3', 'ql1a-5'];
    h.set(apart, 'F', 10);
    h.run(10);
    expect(h.tracker.open().map((i) => i.segmentId)).toEqual(['ql1a-1', 'ql1a-3']);
    expect(h.tracker.deferred).toBeGreaterThan(0);
    h.set(['ql1a-1'], 'B', 60);
    h.run(5);
    expect(h.tracker.open().map((i) => i.segmentId)).toEqual(['ql1a-3', 'ql1a-5']);
    h.set(['ql1a-3', 'ql1a-5'], 'B', 60);
    h.run(5);
    expect(h.tracker.open()).toEqual([]);

    for (let k = 0; k < 5; k++) {
      h.set(['ql1a-7'], 'F', 10);
      h.run(10);
      h.set(['ql1a-7'], 'B', 60);
      h.run(5);
    }
    expect(h.closed().length).toBe(8);
    expect(h.tracker.closed()).toHaveLength(3);
    expect(h.tracker.closed().map((c) => c.id)).toEqual(h.closed().slice(-3).map((c) => c.id));
  });

  it('ignores unknown segments and hands out copies', () => {
    const h = harness(makeRoad('QL1A', 2));
    h.tracker.update([{ segmentId: 'nope', los: 'F', speedKmh: 1 }], T0);
    h.set(['ql1a-1'], 'F', 10);
    h.run(11);
    const [inc] = h.tracker.open();
    inc!.segmentIds.push('tampered');
    inc!.state = 'closed';
    expect(h.tracker.open()[0]).toMatchObject({ state: 'open', segmentIds: ['ql1a-1'] });
  });
});

describe('segmentNeighbours', () => {
  it('links touching segments of one road only', () => {
    const a = makeRoad('QL1A', 3);
    const gap = { ...makeRoad('QL1A', 5)[4]!, id: 'far', fromKm: 9, coordinates: [[109, 15], [109, 14.9]] as [number, number][] };
    const n = segmentNeighbours([...a, gap, ...makeRoad('QL24', 1)]);
    expect(n.get('ql1a-1')).toEqual({ next: 'ql1a-2' });
    expect(n.get('ql1a-2')).toEqual({ prev: 'ql1a-1', next: 'ql1a-3' });
    expect(n.get('ql1a-3')).toEqual({ prev: 'ql1a-2' });
    expect(n.get('far')).toEqual({});
    expect(n.get('ql24-1')).toEqual({});
  });
});
