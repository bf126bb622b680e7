/** Builds each kind of device for one province. Every builder draws from its own seeded stream. */
import type { Device, DeviceKind } from '../../shared/devices';
import type { DeviceType } from '../../shared/mqtt';
import { pick, type RandomSource } from '../../shared/random';
import { placeCameras, type Direction } from './cameras';
import type { Commune, ProvinceGeo, UnitType } from './geo';
import {
  place,
  pointInCommune,
  pointNear,
  snapIntoProvince,
  spreadPoints,
  weightedPick,
  type Placed,
} from './placement';
import { nationalHighways } from './roads';
import { BULLETIN_LEVELS_SOURCE, ILLUSTRATIVE_LEVELS_SOURCE, type ProvinceSites } from './sites';

export const FLEET_SIZE = {
  airStations: 48,
  airPerPhuong: 2,
  rainGauges: 60,
  cameras: 150,
  streetLights: 1400,
  energyMeters: 600,
} as const;

type Props = NonNullable<Device['props']>;

interface KindSpec {
  kind: DeviceKind;
  type: DeviceType;
  /** Id token: qng-<token>-0001. */
  token: string;
  reportIntervalSec: number;
}

export const KINDS = {
  air: { kind: 'air-station', type: 'air', token: 'air', reportIntervalSec: 60 },
  water: { kind: 'wastewater-station', type: 'water', token: 'water', reportIntervalSec: 60 },
  hydro: { kind: 'river-gauge', type: 'hydro', token: 'hydro', reportIntervalSec: 60 },
  rain: { kind: 'rain-gauge', type: 'rain', token: 'rain', reportIntervalSec: 60 },
  camera: { kind: 'traffic-camera', type: 'camera', token: 'cam', reportIntervalSec: 30 },
  light: { kind: 'street-light', type: 'iot', token: 'light', reportIntervalSec: 60 },
  meter: { kind: 'energy-meter', type: 'iot', token: 'meter', reportIntervalSec: 60 },
  reservoir: { kind: 'reservoir', type: 'reservoir', token: 'res', reportIntervalSec: 60 },
} as const satisfies Record<string, KindSpec>;

/** Appends devices with sequential ids, and numbers names within a commune ("… Phường Cẩm Thành 2"). */
export class FleetWriter {
  readonly devices: Device[] = [];
  private readonly seq = new Map<string, number>();
  private readonly inCommune = new Map<string, number>();

  constructor(private readonly prefix: string) {}

  /** 1, 2, 3… per kind and commune, for names. */
  nthIn(spec: KindSpec, c: Commune): number {
    const key = `${spec.token}:${c.code}`;
    const n = (this.inCommune.get(key) ?? 0) + 1;
    this.inCommune.set(key, n);
    return n;
  }

  add(spec: KindSpec, p: Placed, name: string, props?: Props): void {
    const n = (this.seq.get(spec.token) ?? 0) + 1;
    this.seq.set(spec.token, n);
    const device: Device = {
      id: `${this.prefix}-${spec.token}-${String(n).padStart(4, '0')}`,
      type: spec.type,
      kind: spec.kind,
      name,
      lon: p.lon,
      lat: p.lat,
      commune: p.commune.code,
      reportIntervalSec: spec.reportIntervalSec,
    };
    if (props) device.props = props;
    this.devices.push(device);
  }
}

const uniformByArea = (r: RandomSource, geo: ProvinceGeo, communes: readonly Commune[], perKm2 = (_c: Commune) => 1) =>
  pointInCommune(r, geo, weightedPick(r, communes, (c) => c.areaKm2 * perKm2(c)));

/** Denser in the phường (two each, the đặc khu one), the rest spread evenly over the rest of the province. */
export function addAirStations(w: FleetWriter, geo: ProvinceGeo, r: RandomSource): void {
  const urban: Placed[] = [];
  for (const c of geo.communes) {
    const n = c.unitType === 'phuong' ? FLEET_SIZE.airPerPhuong : c.unitType === 'dac_khu' ? 1 : 0;
    urban.push(...spreadPoints(r, n, () => pointInCommune(r, geo, c), urban));
  }
  const rural = geo.communes.filter((c) => c.unitType === 'xa');
  const rest = spreadPoints(r, FLEET_SIZE.airStations - urban.length, () => uniformByArea(r, geo, rural), urban);
  for (const p of [...urban, ...rest]) {
    w.add(KINDS.air, p, `Trạm KK ${p.commune.fullName} ${w.nthIn(KINDS.air, p.commune)}`);
  }
}

export function addWastewaterStations(w: FleetWriter, geo: ProvinceGeo, r: RandomSource, sites: ProvinceSites): void {
  for (const site of sites.industry) {
    const points = spreadPoints(r, site.count, () => pointNear(r, geo, site.lon, site.lat, site.spreadDeg), [], 4);
    points.forEach((p, i) => {
      const where = site.label ? `${site.label} ${i + 1}` : `${p.commune.fullName} ${w.nthIn(KINDS.water, p.commune)}`;
      const props = { regulation: 'QCVN40:2011', column: site.column, kq: site.kq, kf: pick(r, site.kf) };
      w.add(KINDS.water, p, `Trạm QTNT ${where}`, props);
    });
  }
}

export function addRiverGauges(w: FleetWriter, geo: ProvinceGeo, sites: ProvinceSites): void {
  for (const g of sites.gauges) {
    const [bd1, bd2, bd3] = g.levels;
    w.add(KINDS.hydro, snapIntoProvince(geo, g.lon, g.lat), `Trạm thủy văn ${g.station}`, {
      river: g.river,
      station: g.station,
      bd1,
      bd2,
      bd3,
      levelsSource: g.bulletin ? BULLETIN_LEVELS_SOURCE : ILLUSTRATIVE_LEVELS_SOURCE,
      upstream: g.upstream,
    });
  }
}

/**
 * More gauges per km² in the mountains, where orographic rain makes floods. No elevation data ships with
 * the repo, so commune size stands in for terrain: upland xã are large, lowland xã and phường small.
 */
function mountainWeight(c: Commune): number {
  return c.unitType === 'xa' ? 1 + Math.min(1.5, c.areaKm2 / 200) : 0.5;
}

export function addRainGauges(w: FleetWriter, geo: ProvinceGeo, r: RandomSource): void {
  const points = spreadPoints(r, FLEET_SIZE.rainGauges, () => uniformByArea(r, geo, geo.communes, mountainWeight), [], 4);
  for (const p of points) w.add(KINDS.rain, p, `Trạm đo mưa ${p.commune.fullName} ${w.nthIn(KINDS.rain, p.commune)}`);
}

const DIRECTION_VI: Record<Direction, string> = { N: 'Bắc', S: 'Nam', E: 'Đông', W: 'Tây' };

export function addCameras(w: FleetWriter, geo: ProvinceGeo, r: RandomSource): void {
  for (const spot of placeCameras(r, nationalHighways(geo), FLEET_SIZE.cameras, geo.meta.roads)) {
    const p = place(geo, spot.sample.lon, spot.sample.lat);
    if (!p) throw new Error(`camera sample ${spot.sample.lon},${spot.sample.lat} is outside every commune`);
    const km = Math.round(spot.sample.km * 10) / 10;
    w.add(KINDS.camera, p, `Camera ${spot.road.short} Km ${km.toFixed(1)} (hướng ${DIRECTION_VI[spot.direction]})`, {
      road: spot.road.short,
      km,
      direction: spot.direction,
      speedLimit: spot.speedLimit,
    });
  }
}

interface Cluster {
  /** Relative number of devices per commune of this type. */
  weight: Record<UnitType, number>;
  /** Scatter around the commune centre, degrees. */
  sdDeg: Record<UnitType, number>;
}

const LIGHTS: Cluster = { weight: { phuong: 6, dac_khu: 3, xa: 1 }, sdDeg: { phuong: 0.008, dac_khu: 0.006, xa: 0.005 } };
const METERS: Cluster = { weight: { phuong: 5, dac_khu: 2, xa: 1 }, sdDeg: { phuong: 0.01, dac_khu: 0.006, xa: 0.006 } };

interface ClusteredSpec {
  spec: KindSpec;
  count: number;
  cluster: Cluster;
  /** Name stem: "Đèn đường Phường Cẩm Thành 12". */
  label: string;
}

function addClustered(w: FleetWriter, geo: ProvinceGeo, r: RandomSource, { spec, count, cluster: cl, label }: ClusteredSpec) {
  for (let i = 0; i < count; i++) {
    const c = weightedPick(r, geo.communes, (x) => cl.weight[x.unitType]);
    const p = pointNear(r, geo, c.label[0], c.label[1], cl.sdDeg[c.unitType]);
    w.add(spec, p, `${label} ${p.commune.fullName} ${w.nthIn(spec, p.commune)}`);
  }
}

export function addStreetLights(w: FleetWriter, geo: ProvinceGeo, r: RandomSource): void {
  addClustered(w, geo, r, { spec: KINDS.light, count: FLEET_SIZE.streetLights, cluster: LIGHTS, label: 'Đèn đường' });
}

export function addEnergyMeters(w: FleetWriter, geo: ProvinceGeo, r: RandomSource): void {
  addClustered(w, geo, r, { spec: KINDS.meter, count: FLEET_SIZE.energyMeters, cluster: METERS, label: 'Công tơ điện' });
}

/**
 * The province's hydropower reservoirs, at their dams. Everything the server needs of one travels in its props
 * (flat, like a gauge's BĐ levels): the procedure's levels, the downstream communes as a comma list.
 */
export function addReservoirs(w: FleetWriter, geo: ProvinceGeo, sites: ProvinceSites): void {
  for (const s of sites.reservoirs) {
    const props: Props = {
      plant: `Thủy điện ${s.name}`,
      river: s.river,
      normalLevel: s.normalLevel,
      deadLevel: s.deadLevel,
      spillwayGates: s.spillwayGates,
      meanInflow: s.meanInflow,
      turbineFlow: s.turbineFlow,
      downstream: s.downstream.join(','),
      levelsSource: s.verified ? s.source : `⚠ Chưa kiểm chứng: ${s.source}`,
    };
    if (s.floodSeason) {
      props.floodLimit = s.floodSeason.maxLevel;
      props.floodFrom = s.floodSeason.from;
      props.floodTo = s.floodSeason.to;
    }
    w.add(KINDS.reservoir, snapIntoProvince(geo, s.lon, s.lat), `Hồ thủy điện ${s.name}`, props);
  }
}
