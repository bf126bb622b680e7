/**
 * `pollution`: a treatment failure at the wastewater station with the most air stations around it: its
 * COD and TSS climb past the QCVN 40 limit (Kq·Kf applied) and stay there for hours, while the plant's
 * emissions drift over the nearby air stations (PM, SO2, NO2, CO up, strongest closest).
 */
import type { Device } from '../../shared/devices';
import { distanceKm } from '../fleet/catchment';
import { HOUR_MS, MINUTE_MS, phasesFrom, trapezoid, type Scenario, type ScenarioSetup } from './types';

const NEAR_KM = 12;
/** Discharge: starts after 15 min, beyond the limit from about 45 min, stopped at 4 h 45, clean by 6 h. */
const RAMP = [0.25, 1, 4.75, 5.75] as const;
/** Target concentrations as multiples of the permitted maximum. */
const MULTIPLE = { cod: 1.8, tss: 2.2 } as const;
const PLUME_PEAK = 3.5;
const PLUME_KM = 8;

export const POLLUTION_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'normal operation'],
  [RAMP[0] * HOUR_MS, 'treatment failure: COD and TSS rising'],
  [45 * MINUTE_MS, 'discharge beyond QCVN 40; nearby air worsening'],
  [RAMP[2] * HOUR_MS, 'discharge stopped; concentrations falling'],
  [6 * HOUR_MS, 'back within limits'],
];

/** The wastewater station with the most air stations within NEAR_KM (ties: the first id). */
export function pollutionSource(devices: readonly Device[]): { station: Device; air: Map<string, number> } | null {
  const air = devices.filter((d) => d.kind === 'air-station');
  let best: { station: Device; air: Map<string, number> } | null = null;
  for (const w of devices.filter((d) => d.kind === 'wastewater-station').sort((a, b) => a.id.localeCompare(b.id))) {
    const near = new Map<string, number>();
    for (const a of air) {
      const d = distanceKm(w, a);
      if (d <= NEAR_KM) near.set(a.id, d);
    }
    if (!best || near.size > best.air.size) best = { station: w, air: near };
  }
  return best;
}

export function pollution(setup: ScenarioSetup): Scenario {
  const t0 = setup.now;
  const source = pollutionSource(setup.devices);
  const profile = (t: number) => trapezoid((t - t0) / HOUR_MS, ...RAMP);
  return {
    name: 'pollution',
    title: source
      ? `pollution: ${source.station.name} discharging beyond QCVN 40, ${source.air.size} air stations nearby`
      : 'pollution: no wastewater station in this fleet',
    simStart: t0,
    phaseAt: phasesFrom(t0, POLLUTION_PHASES),
    effects: {
      discharge(id, t) {
        if (id !== source?.station.id) return null;
        const weight = profile(t);
        return weight > 0 ? { multiple: MULTIPLE, weight } : null;
      },
      airPlume(id, t) {
        const d = source?.air.get(id);
        if (d === undefined) return 1;
        return 1 + PLUME_PEAK * Math.exp(-0.5 * (d / PLUME_KM) ** 2) * profile(t);
      },
    },
  };
}
