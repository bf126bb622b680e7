/**
 * Where an alarm is: the source device's name and position from the registry, else its commune's label
 * point (a storm group, a congestion incident). The commune labels are fetched once and shared.
 */
import { useEffect, useState } from 'react';
import type { Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import { releaseSourceDevice } from '../../shared/reservoir';
import { fetchCommuneLabels, type CommuneLabel } from '../net/api';

export type CommuneIndex = ReadonlyMap<string, CommuneLabel>;

let communes: CommuneIndex | null = null;
let loading: Promise<CommuneIndex> | null = null;

/** Loads the commune labels once; a failure is retried on the next call. */
export function loadCommunes(): Promise<CommuneIndex> {
  if (communes) return Promise.resolve(communes);
  loading ??= fetchCommuneLabels()
    .then((list) => {
      communes = new Map(list.map((c) => [c.code, c]));
      return communes;
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** The commune labels, once loaded (null until then: places show the code meanwhile). */
export function useCommunes(): CommuneIndex | null {
  const [value, setValue] = useState<CommuneIndex | null>(communes);
  useEffect(() => {
    if (value) return;
    let live = true;
    loadCommunes().then(
      (c) => live && setValue(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [value]);
  return value;
}

const UNIT_PREFIX: Record<string, string> = { xa: 'xã', phuong: 'phường', dac_khu: 'đặc khu' };

/** "xã An Phú", "phường Cẩm Thành"; the code when the labels are not loaded. */
export function communeName(code: string | null, index: CommuneIndex | null): string | null {
  if (!code) return null;
  const c = index?.get(code);
  if (!c) return `mã xã ${code}`;
  const prefix = c.unitType ? UNIT_PREFIX[c.unitType] : undefined;
  return prefix ? `${prefix} ${c.name}` : c.name;
}

const deviceIndexes = new WeakMap<readonly Device[], Map<string, Device>>();

/** id → device, built once per registry. */
export function deviceById(devices: readonly Device[] | undefined, id: string): Device | undefined {
  if (!devices) return undefined;
  let index = deviceIndexes.get(devices);
  if (!index) {
    index = new Map(devices.map((d) => [d.id, d]));
    deviceIndexes.set(devices, index);
  }
  return index.get(id);
}

/** A commune's own alarm (its disaster risk level, its fire danger): the source names the commune, not a device. */
const COMMUNE_SOURCE = /^(risk|flood-risk|fire)-\d{5}$/;

/**
 * "Trạm Trà Khúc · phường Trương Quang Trọng", "xã Phiêng Cằm" for a commune's own alarm, "nhiều nơi trong
 * tỉnh" for an overflow group.
 */
export function placeOf(a: Alarm, devices: readonly Device[] | undefined, index: CommuneIndex | null): string {
  if (a.kind === 'overflow') return 'nhiều nơi trong tỉnh';
  const commune = communeName(a.commune, index);
  if (a.kind === 'group') return commune ?? 'không rõ xã';
  const d = deviceById(devices, a.source);
  if (!d && COMMUNE_SOURCE.test(a.source)) return commune ?? `xã mã ${a.source.slice(-5)}`;
  // A dam's release, in the name of each commune below it: "Hồ thủy điện Sơn La → xã Mường Bú".
  const dam = releaseSourceDevice(a.source);
  if (!d && dam !== null) return `${deviceById(devices, dam)?.name ?? dam} → ${commune ?? `xã mã ${a.source.slice(-5)}`}`;
  const name = d?.name ?? a.source;
  return commune ? `${name} · ${commune}` : name;
}

/** Position for the map: the device, else the commune's label point; null when neither is known. */
export function positionOf(a: Alarm, devices: readonly Device[] | undefined, index: CommuneIndex | null): [number, number] | null {
  if (a.kind === 'single') {
    const d = deviceById(devices, a.source);
    if (d) return [d.lon, d.lat];
  }
  const c = a.commune ? index?.get(a.commune) : undefined;
  return c ? c.position : null;
}
