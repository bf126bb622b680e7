/**
 * Making an alarm happen for real in the browser tests: a real MQTT client publishes a river gauge's
 * level to the app's broker, the server's tick turns it into an alarm, and the views show it.
 */
import { authFetch } from '../support/session';
import mqtt, { type MqttClient } from 'mqtt';
import type { Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import { topicFor } from '../../shared/mqtt';
import type { TestApp } from './support';

export interface RiverControl {
  device: Device;
  bd: [number, number, number];
  /** Keeps the gauge at this level (republished every 1.5 s, so the simulator's own reports do not win). */
  hold(metres: number): Promise<void>;
  stop(): Promise<void>;
}

export async function controlRiver(app: TestApp, station: string): Promise<RiverControl> {
  const device = app.province.registry.devices.find((d) => d.type === 'hydro' && d.props?.station === station);
  if (!device) throw new Error(`no river gauge ${station}`);
  const bd: [number, number, number] = [Number(device.props!.bd1), Number(device.props!.bd2), Number(device.props!.bd3)];
  const client: MqttClient = await mqtt.connectAsync(app.mqttUrl, { clientId: `test-river-${device.id}`, ...app.gateway, reconnectPeriod: 0 });
  let level: number | null = null;
  const publish = async (): Promise<void> => {
    if (level === null || !client.connected) return;
    await client.publishAsync(topicFor('hydro', device.id, 'telemetry'), JSON.stringify({ ts: Date.now(), waterLevel: level }), { qos: 1 });
  };
  const timer = setInterval(() => void publish().catch(() => undefined), 1_500);
  return {
    device,
    bd,
    hold: async (m) => {
      level = m;
      await publish();
    },
    stop: async () => {
      clearInterval(timer);
      await client.endAsync(true);
    },
  };
}

/** Polls GET /api/alarms until an open alarm of this source at this severity exists. */
export async function waitForAlarm(app: TestApp, source: string, severity: Alarm['severity'], timeoutMs = 30_000): Promise<Alarm> {
  const t0 = Date.now();
  for (;;) {
    const res = await authFetch(`${app.url}/api/alarms?state=open&domain=hydro&limit=200`);
    const page = (await res.json()) as { items: Alarm[] };
    const a = page.items.find((x) => x.source === source && x.ruleId === 'river-stage' && x.severity === severity);
    if (a) return a;
    if (Date.now() - t0 > timeoutMs) throw new Error(`no ${severity} river-stage alarm for ${source} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function getAlarm(app: TestApp, id: number): Promise<{ alarm: Alarm; history: { change: string; actor: string; note: string | null }[] }> {
  const res = await authFetch(`${app.url}/api/alarms/${id}`);
  return (await res.json()) as { alarm: Alarm; history: { change: string; actor: string; note: string | null }[] };
}

/** Reports every bulk IoT device of a commune offline (their MQTT status), as a burst: a storm of offline alarms. */
export async function offlineBurst(app: TestApp, commune: string): Promise<string[]> {
  const devices = app.province.registry.devices;
  const indexes = devices.flatMap((d, i) => (d.commune === commune && d.type === 'iot' ? [i] : []));
  const ids = indexes.map((i) => devices[i]!.id);
  // Only a device seen online can go offline: wait for the simulated fleet to have reported.
  const t0 = Date.now();
  while (indexes.filter((i) => app.table.online[i] === 1).length < indexes.length * 0.9) {
    if (Date.now() - t0 > 60_000) throw new Error(`the devices of ${commune} did not come online`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const pub = await mqtt.connectAsync(app.mqttUrl, { clientId: `test-storm-${commune}`, ...app.gateway, reconnectPeriod: 0 });
  try {
    for (const id of ids) await pub.publishAsync(topicFor('iot', id, 'status'), JSON.stringify({ online: false, ts: Date.now() }), { qos: 1 });
  } finally {
    await pub.endAsync(true);
  }
  return ids;
}
