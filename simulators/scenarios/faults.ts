/**
 * `faults`: devices that break on purpose, each in a way a real fleet does, so a tester can watch the
 * server count and survive every one of them. Targets are chosen from the fleet by kind and id order, so
 * the same registry and seed break the same devices at the same simulated times.
 *
 * What each fault should do on the server (FAULT_EFFECT): garbage and clock skew are rejected under their
 * reason (GET /api/health `ingest.rejected`); a drop-out takes the device offline (its last will) until it
 * reconnects; duplicates are accepted but must not double count (rain, violations); stuck and drifting
 * sensors are accepted: only their values give them away.
 */
import type { Device, DeviceKind } from '../../shared/devices';
import { MAX_PAYLOAD_BYTES, type RejectReason } from '../../shared/mqtt';
import {
  FAULT_KINDS,
  MINUTE_MS,
  phasesFrom,
  type Draft,
  type FaultInjector,
  type FaultKind,
  type FaultOutcome,
  type Outgoing,
  type Scenario,
  type ScenarioSetup,
} from './types';

/** The reject reason the server should count a fault under; null: accepted, seen only in the data. */
export const FAULT_REJECT_REASON: Readonly<Record<FaultKind, RejectReason | null>> = {
  dropout: null,
  stuck: null,
  drift: null,
  badJson: 'badJson',
  wrongTypes: 'schema',
  nanText: 'badJson',
  oversize: 'oversize',
  futureTs: 'futureTimestamp',
  staleTs: 'staleTimestamp',
  duplicate: null,
  unknownDevice: 'unknownDevice',
};

const M = MINUTE_MS;
export const FAULT_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'warm-up: every device healthy'],
  [1 * M, 'garbage: bad JSON, wrong types, NaN, oversize, unknown device'],
  [4 * M, 'clock skew (future, 48 h old) and duplicates'],
  [7 * M, 'drop-out, stuck and drifting sensors'],
  [10 * M, 'every fault at once'],
  [14 * M, 'recovery: faults stop'],
];

/** When each fault is on, in minutes after the start: [from, to) windows. */
const WINDOWS: Readonly<Record<FaultKind, ReadonlyArray<readonly [number, number]>>> = {
  badJson: [[1, 4], [10, 14]],
  wrongTypes: [[1, 4], [10, 14]],
  nanText: [[1, 4], [10, 14]],
  oversize: [[1, 4], [10, 14]],
  unknownDevice: [[1, 4], [10, 14]],
  futureTs: [[4, 7], [10, 14]],
  staleTs: [[4, 7], [10, 14]],
  duplicate: [[4, 7], [10, 14]],
  dropout: [[7, 12]],
  stuck: [[7, 14]],
  drift: [[7, 14]],
};

/** Garbage and skew hit one report in three, so the device still gets through in between. */
const EVERY_NTH = 3;
/** Compressed: a real sensor drifts over days, here 40 % of the reading per simulated minute. */
const DRIFT_PER_MIN = 0.4;
const DRIFT_FIELDS = ['cod', 'tss', 'nh4', 'bod5', 'pm25', 'pm10', 'no2', 'so2', 'co', 'o3'];
const FUTURE_MS = 10 * M;
const STALE_MS = 50 * 3_600_000;

/** Which device of which kind breaks which way: the n-th of that kind by id, or the nearest fallback. */
const PLAN: ReadonlyArray<readonly [FaultKind, DeviceKind, number]> = [
  ['dropout', 'air-station', 0],
  ['stuck', 'air-station', 1],
  ['badJson', 'air-station', 2],
  ['nanText', 'air-station', 2],
  ['unknownDevice', 'air-station', 2],
  ['wrongTypes', 'river-gauge', 0],
  ['oversize', 'wastewater-station', 0],
  ['drift', 'wastewater-station', 1],
  ['futureTs', 'rain-gauge', 0],
  ['staleTs', 'rain-gauge', 1],
  ['duplicate', 'rain-gauge', 2],
];

export function chooseTargets(devices: readonly Device[]): Partial<Record<FaultKind, string>> {
  const sorted = [...devices].sort((a, b) => a.id.localeCompare(b.id));
  const out: Partial<Record<FaultKind, string>> = {};
  for (const [fault, kind, n] of PLAN) {
    const ofKind = sorted.filter((d) => d.kind === kind);
    const d = ofKind[Math.min(n, ofKind.length - 1)] ?? sorted[0];
    if (d) out[fault] = d.id;
  }
  return out;
}

function active(kind: FaultKind, minutes: number): boolean {
  return WINDOWS[kind].some(([a, b]) => minutes >= a && minutes < b);
}

const ser = (d: Draft, fault?: FaultKind): Outgoing => ({ topic: d.topic, payload: JSON.stringify(d.body), qos: fault ? 1 : d.qos, ...(fault ? { fault } : {}) });

export function createFaultInjector(setup: ScenarioSetup, t0: number): FaultInjector {
  const targets = chooseTargets(setup.devices);
  const faultsOf = new Map<string, FaultKind[]>();
  for (const kind of FAULT_KINDS) {
    const id = targets[kind];
    if (id) faultsOf.set(id, [...(faultsOf.get(id) ?? []), kind]);
  }
  const stuckValues = new Map<string, Record<string, unknown>>();

  function apply(device: Device, simT: number, intervalMs: number, drafts: readonly Draft[]): FaultOutcome {
    const mine = faultsOf.get(device.id);
    if (!mine) return { messages: drafts.map((d) => ser(d)), offline: false };
    const minutes = (simT - t0) / M;
    const on = (k: FaultKind) => mine.includes(k) && active(k, minutes);
    if (on('dropout')) return { messages: [], offline: true };
    const [telemetry, ...events] = drafts;
    if (!telemetry) return { messages: [], offline: false };
    let body = telemetry.body;
    let tag: FaultKind | undefined;
    if (on('stuck')) {
      const frozen = stuckValues.get(device.id) ?? body;
      stuckValues.set(device.id, frozen);
      body = { ...frozen, ts: body.ts };
      tag = 'stuck';
    } else stuckValues.delete(device.id);
    if (on('drift')) {
      const f = 1 + DRIFT_PER_MIN * Math.max(0, minutes - WINDOWS.drift[0]![0]);
      body = { ...body };
      for (const k of DRIFT_FIELDS) if (typeof body[k] === 'number') body[k] = Math.round((body[k] as number) * f * 100) / 100;
      tag = 'drift';
    }
    const draft: Draft = { ...telemetry, body };
    const out: Outgoing[] = [];
    // One report in EVERY_NTH is mangled, rotating through the device's garbage kinds.
    const slot = Math.floor(simT / intervalMs);
    const garbage = (['badJson', 'nanText', 'wrongTypes', 'oversize', 'futureTs', 'staleTs'] as const).filter(on);
    const mangle = slot % EVERY_NTH === 0 && garbage.length > 0 ? garbage[Math.floor(slot / EVERY_NTH) % garbage.length]! : null;
    if (mangle) out.push(mangled(mangle, draft));
    else out.push(ser(draft, tag));
    if (on('unknownDevice') && slot % EVERY_NTH === 1) {
      const parts = draft.topic.split('/');
      parts[3] = `${parts[3]}-ghost`;
      out.push(ser({ ...draft, topic: parts.join('/') }, 'unknownDevice'));
    }
    for (const e of events) out.push(ser(e));
    if (on('duplicate')) for (const m of [...out]) out.push({ ...m, qos: 1, fault: 'duplicate' });
    return { messages: out, offline: false };
  }

  return { targets, apply };
}

function mangled(kind: 'badJson' | 'nanText' | 'wrongTypes' | 'oversize' | 'futureTs' | 'staleTs', d: Draft): Outgoing {
  const text = JSON.stringify(d.body);
  const ts = typeof d.body.ts === 'number' ? d.body.ts : 0;
  const out = (payload: string): Outgoing => ({ topic: d.topic, payload, qos: 1, fault: kind });
  switch (kind) {
    case 'badJson':
      return out(text.slice(0, Math.max(1, text.length - 7)));
    case 'nanText': {
      const key = Object.keys(d.body).find((k) => k !== 'ts' && typeof d.body[k] === 'number') ?? 'value';
      // Many device firmwares print a failed float as a bare NaN, which is not JSON.
      return out(JSON.stringify({ ...d.body, [key]: '__NaN__' }).replace('"__NaN__"', 'NaN'));
    }
    case 'wrongTypes': {
      const body: Record<string, unknown> = { ts: 'a little while ago' };
      for (const [k, v] of Object.entries(d.body)) if (k !== 'ts') body[k] = typeof v === 'number' ? `${v} units` : [v];
      return out(JSON.stringify(body));
    }
    case 'oversize':
      return out(JSON.stringify({ ...d.body, firmwareDump: 'A'.repeat(MAX_PAYLOAD_BYTES + 1024) }));
    case 'futureTs':
      return out(JSON.stringify({ ...d.body, ts: ts + FUTURE_MS }));
    case 'staleTs':
      return out(JSON.stringify({ ...d.body, ts: ts - STALE_MS }));
  }
}

export function faults(setup: ScenarioSetup): Scenario & { faults: FaultInjector } {
  const t0 = setup.now;
  const injector = createFaultInjector(setup, t0);
  const who = Object.entries(injector.targets)
    .map(([k, id]) => `${k} ${id}`)
    .join(', ');
  return {
    name: 'faults',
    title: `faults: ${who}`,
    simStart: t0,
    phaseAt: phasesFrom(t0, FAULT_PHASES),
    effects: {},
    faults: injector,
  };
}
