/**
 * The gateway credential of this start, for the simulator fleet and the tools on this machine
 * (`npm run sim -- --credentials data/mqtt-gateway.json`): a JSON file {username, password} that only the
 * server's user can read (mode 0600). Rewritten at each start, since the secret is new each time.
 */
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { MqttCredentials } from './guard';

export const GATEWAY_FILE = 'mqtt-gateway.json';

export function writeGatewayFile(dataDir: string, creds: MqttCredentials): string {
  const file = path.join(dataDir, GATEWAY_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  // 'wx': created here with mode 0600, never an existing file's wider mode.
  writeFileSync(tmp, `${JSON.stringify({ username: creds.username, password: creds.password })}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}

const credentialsSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/** Reads a {username, password} file (MQTT_CREDENTIALS, or what `npm run devices -- mosquitto` wrote). */
export function readCredentialsFile(file: string): MqttCredentials {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  const r = credentialsSchema.safeParse(json);
  if (!r.success) throw new Error(`${file}: expected {"username": "...", "password": "..."}`);
  return r.data;
}
