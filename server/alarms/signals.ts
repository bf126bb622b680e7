/**
 * Domain state → alarm signals (the names and units defaultRules.ts expects). Pure.
 */
import type { Signal, SignalDomain } from '../../shared/alarms';
import type { Device, DeviceKind } from '../../shared/devices';
import type { HydroDerived, StationDerived } from '../../shared/environment';
import { encodeForecastStage } from '../../shared/forecast';
import type { CongestionIncident } from '../../shared/traffic';
import type { CommuneRisk } from '../../shared/communeRisk';
import type { CommuneFire } from '../../shared/fireDanger';
import { assertNever } from '../../shared/protocol';
import { RELEASE_SIGNAL, releaseSource } from '../../shared/reservoir';
import type { GaugeForecast } from '../domain/forecast/forecaster';

export function stationSignals(d: Device, x: StationDerived, ts: number): Signal[] {
  const base = { source: d.id, ts, commune: d.commune };
  switch (x.kind) {
    case 'air':
      return [{ ...base, signal: 'aqi', value: x.aqi, domain: 'air' }];
    case 'water': {
      const out: Signal[] = [];
      for (const [param, p] of Object.entries(x.params)) {
        if (!p) continue;
        // A range (pH) reads ≥ 1 outside it on either side, like a maximum.
        const ratio = p.min !== undefined ? Math.max(p.min / Math.max(p.value, 1e-9), p.value / p.max) : p.value / p.max;
        out.push({ ...base, signal: `wastewater.${param}.ratio`, value: Math.round(ratio * 1000) / 1000, domain: 'water' });
      }
      return out;
    }
    case 'hydro':
      if (x.level === null) return [];
      return [
        { ...base, signal: 'river.stage', value: x.stage, domain: 'hydro' },
        { ...base, signal: 'river.level', value: x.level, domain: 'hydro' },
        { ...base, signal: 'river.rate', value: x.rateCmH === null ? null : x.rateCmH / 100, domain: 'hydro' },
      ];
    case 'rain':
      return [{ ...base, signal: 'rain.h24', value: x.h24, domain: 'rain' }];
    case 'reservoir': {
      // Before its first report or notice a reservoir says nothing.
      if (x.level === null && x.release === null) return [];
      // The release is every downstream commune's alarm: one per commune, in its name, so that each commune's
      // list (the wall's, the phone's) carries it and each can be acknowledged by whoever calls that commune.
      const release = x.release === null ? 0 : RELEASE_SIGNAL[x.release];
      const out: Signal[] = x.downstream.map((commune) => ({
        source: releaseSource(d.id, commune),
        signal: 'reservoir.release',
        value: release,
        ts,
        commune,
        domain: 'hydro',
      }));
      if (x.level !== null) out.push({ ...base, signal: 'reservoir.stage', value: x.stage, domain: 'hydro' });
      return out;
    }
    default:
      return assertNever(x, 'station kind');
  }
}

/**
 * Which offline signal each kind of device sends (defaultRules.ts has a rule for each). Cameras have their own
 * so the wall can say "camera"; the bulk IoT kinds have one each, so that their rules can group them per
 * commune and kind ("37 đèn đường mất kết nối"). A new kind must choose here: the record is exhaustive.
 */
export const OFFLINE_SIGNALS: Record<DeviceKind, { signal: string; domain: SignalDomain }> = {
  'air-station': { signal: 'device.offline', domain: 'device' },
  'wastewater-station': { signal: 'device.offline', domain: 'device' },
  'river-gauge': { signal: 'device.offline', domain: 'device' },
  'rain-gauge': { signal: 'device.offline', domain: 'device' },
  'traffic-camera': { signal: 'camera.offline', domain: 'traffic' },
  'street-light': { signal: 'street-light.offline', domain: 'device' },
  'energy-meter': { signal: 'energy-meter.offline', domain: 'device' },
  reservoir: { signal: 'device.offline', domain: 'device' },
};

export function offlineSignal(d: Device, online: boolean, at: number): Signal {
  const { signal, domain } = OFFLINE_SIGNALS[d.kind];
  return { source: d.id, signal, value: online ? 0 : 1, ts: at, commune: d.commune, domain };
}

export function incidentSignal(inc: CongestionIncident, commune: string | undefined, at: number): Signal {
  return {
    source: inc.id,
    signal: 'congestion.incident',
    value: inc.state === 'open' ? 1 : 0,
    ts: at,
    ...(commune ? { commune } : {}),
    domain: 'traffic',
  };
}

/**
 * 'river.forecast.stage' of a gauge from its latest forecast: the highest alarm level above the gauge's
 * stage now that the forecast crosses within its horizon, with the first lead that crosses it, encoded as
 * stage + lead/10 (shared/forecast.ts `encodeForecastStage`); 0 when none. BĐ I and II are read from the
 * forecast's central value, BĐ III from its upper bound (its central value while it has no interval): the
 * highest level is the one where a miss costs most. The upper bound counts only at a lead whose central value
 * is above the level now: the band warns of a rise bigger than forecast, not of one the forecast does not
 * see (after a flood's peak the band is wide, and read alone it announced BĐ III again on the falling limb).
 * Leads still warming up are never read: an untrained model does not raise alarms. Once the river itself
 * stands at that level the value falls to 0 and the observed alarm (rule river-stage) takes over.
 */
export function forecastStageSignal(d: Device, f: GaugeForecast, x: HydroDerived | undefined, ts: number): Signal {
  const stageNow = x?.stage ?? 0;
  const bd = x?.bd;
  let value = 0;
  if (bd) {
    for (const stage of [3, 2, 1] as const) {
      if (stage <= stageNow) break;
      const at = bd[stage - 1]!;
      const lead = f.leads.find((l) => !l.warmingUp && (stage === 3 && l.level > f.level ? (l.upper ?? l.level) : l.level) >= at);
      if (lead) {
        value = encodeForecastStage(stage, lead.leadH);
        break;
      }
    }
  }
  return { source: d.id, signal: 'river.forecast.stage', value, ts, commune: d.commune, domain: 'hydro' };
}

/**
 * 'risk.level' of a commune: its disaster risk level 0–3 for flash floods and landslides from rain (QĐ
 * 18/2021/QĐ-TTg, Điều 46); the source names the commune.
 */
export function riskSignal(r: Pick<CommuneRisk, 'code' | 'flashFlood'>, at: number): Signal {
  return { source: `risk-${r.code}`, signal: 'risk.level', value: r.flashFlood, ts: at, commune: r.code, domain: 'rain' };
}

/** 'risk.flood' of a commune: its disaster risk level 0–5 for floods from the river levels (Điều 45). */
export function floodRiskSignal(r: Pick<CommuneRisk, 'code' | 'flood'>, at: number): Signal {
  return { source: `flood-risk-${r.code}`, signal: 'risk.flood', value: r.flood, ts: at, commune: r.code, domain: 'hydro' };
}

/** 'fire.level' of a commune: its forest fire danger level 1–5 (cấp I–V, QĐ 127/2000), sent daily. */
export function fireSignal(f: CommuneFire, at: number): Signal {
  return { source: `fire-${f.code}`, signal: 'fire.level', value: f.level, ts: at, commune: f.code, domain: 'air' };
}
