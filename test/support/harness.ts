/** Real parts for integration tests: the app on port 0, a real MQTT client, a real socket.io client. */
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, ViewDelta, ViewName, ViewSnapshot } from '../../shared/events';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { createApp, type App, type AppConfig, type AppParts } from '../../server/app';
import { authFetch, sessionHeaders, signInDefault } from './session';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The gateway credential of each running test app, by its MQTT URL: connectMqtt uses it by default. */
const gateways = new Map<string, { username: string; password: string }>();

/** The app on free loopback ports, with an operator logged in as the default session of authFetch, getJson and sockets. */
export async function startTestApp(overrides: Partial<AppConfig> = {}, parts: AppParts = {}): Promise<App> {
  const app = await createApp({ port: 0, host: '127.0.0.1', mqtt: { port: 0 }, tickMs: 100, ...overrides }, parts);
  try {
    await signInDefault(app);
  } catch (err) {
    await app.close();
    throw err;
  }
  const gateway = app.gateway;
  if (!gateway) return app;
  gateways.set(app.mqttUrl, gateway);
  const close = app.close;
  app.close = async () => {
    gateways.delete(app.mqttUrl);
    await close();
  };
  return app;
}

/** The gateway credential of the test app on that MQTT URL (for the fleet, the replayer, spies). */
export function gatewayOf(url: string): { username: string; password: string } | undefined {
  return gateways.get(url);
}

/**
 * An MQTT client; on a test app's embedded broker it connects as the app's gateway unless `opts` names a
 * username (pass `anonymous: true` for no credentials at all).
 */
export async function connectMqtt(url: string, opts: mqtt.IClientOptions & { anonymous?: boolean } = {}): Promise<MqttClient> {
  const { anonymous, ...rest } = opts;
  const creds = anonymous || rest.username !== undefined ? {} : gateways.get(url);
  return mqtt.connectAsync(url, { reconnectPeriod: 0, ...creds, ...rest });
}

/** A socket on the app's default test session (pass `headers: {}` for an anonymous one). */
export function connectSocket(url: string, protocolVersion = PROTOCOL_VERSION, headers: Record<string, string> = sessionHeaders(url)): TestSocket {
  return io(url, { transports: ['websocket'], auth: { protocolVersion }, reconnection: false, forceNew: true, extraHeaders: headers });
}

/** Subscribes and collects every delta of the view from then on. */
export async function subscribe(socket: TestSocket, view: ViewName): Promise<{ snapshot: ViewSnapshot; deltas: ViewDelta[] }> {
  const deltas: ViewDelta[] = [];
  socket.on('view:delta', (d) => {
    if (d.view === view) deltas.push(d);
  });
  const res = await socket.timeout(5000).emitWithAck('view:subscribe', { view });
  if ('error' in res) throw new Error(`subscribe failed: ${res.error.message}`);
  return { snapshot: res.data, deltas };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** GET as the app's default test session. */
export async function getJson<T = unknown>(url: string): Promise<T> {
  const res = await authFetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
