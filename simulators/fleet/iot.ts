/** Smart-city IoT: LED street lights on a night schedule with late-night dimming, and energy meters. */
import type { Device } from '../../shared/devices';
import type { TelemetryInput } from '../../shared/mqtt';
import { gaussian, pick, uniform, type RandomSource } from '../../shared/random';
import { HOUR_MS, round, vnDayOfYear, vnHour } from './noise';

const LED_RATINGS_W = [60, 90, 100, 120, 150, 200];
/** Lights dim to this level between 22h and 4h30 (a common smart-lighting schedule). */
const NIGHT_DIM = 60;

export function createStreetLightModel(device: Device, r: RandomSource) {
  const prop = device.props?.ratedPowerW;
  const rated = typeof prop === 'number' && prop > 0 ? prop : pick(r, LED_RATINGS_W);
  // Photocell spread: each lamp switches a few minutes apart.
  const jitterH = uniform(r, -0.1, 0.1);

  return (t: number): TelemetryInput['iot'] => {
    const h = vnHour(t);
    // Sunset ~17h35 in December, ~18h25 in June at these latitudes; sunrise ~6h10 and ~5h15.
    const season = Math.cos((2 * Math.PI * (vnDayOfYear(t) - 172)) / 365);
    const onAt = 17.95 + 0.35 * season + jitterH;
    const offAt = 5.7 - 0.3 * season + jitterH;
    const on = h >= onAt || h < offAt;
    const dim = !on ? 0 : h >= 22 || h < 4.5 ? NIGHT_DIM : 100;
    const power = on ? rated * (0.08 + (0.92 * dim) / 100) * (1 + 0.015 * gaussian(r)) : 0.4;
    return { ts: t, values: { power: round(Math.max(0, power), 1), dim } };
  };
}

/**
 * Load p(t) = base·(A + B·cos(2π(h − 13)/24)) kW, peaking at 13h. Its integral is closed-form, so the
 * meter's kWh register is a pure function of time and never runs backwards, whatever the call order.
 */
const A = 0.6;
const B = 0.35;
const VN_OFFSET_H = 7;
/** Meters were installed from 2020 on; the register counts from then. */
const INSTALLED_FROM = Date.UTC(2020, 0, 1);

export function createEnergyMeterModel(_device: Device, r: RandomSource) {
  const base = uniform(r, 3, 60);
  const installed = INSTALLED_FROM + uniform(r, 0, 365) * 24 * HOUR_MS;
  const register0 = uniform(r, 0, 5000);
  const omega = (2 * Math.PI) / 24;
  const energyAt = (hours: number) =>
    base * (A * hours + (B / omega) * Math.sin(omega * (hours + VN_OFFSET_H - 13)));
  const e0 = energyAt((installed - INSTALLED_FROM) / HOUR_MS);

  return (t: number): TelemetryInput['iot'] => {
    const hours = (Math.max(t, installed) - INSTALLED_FROM) / HOUR_MS;
    const load = base * (A + B * Math.cos(omega * (vnHour(t) - 13)));
    return {
      ts: t,
      values: {
        power: round(Math.max(0, load * (1 + 0.03 * gaussian(r))), 2),
        energy: round(register0 + energyAt(hours) - e0, 2),
      },
    };
  };
}
