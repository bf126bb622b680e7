/**
 * The device credentials for an external Mosquitto (MQTT_URL): a `password_file` in mosquitto_passwd's
 * format (the `$7$` PBKDF2-SHA512 hashes stored when each secret was issued) and an `acl_file` with the
 * embedded broker's rules (server/broker/guard.ts): a device publishes on its own topics only and reads
 * nothing; the gateway (the server's ingest and the simulator fleet) reads and writes the contract's
 * topics. The gateway's secret is written beside them (mode 0600) for MQTT_CREDENTIALS; a later run keeps it
 * (the IOC need not restart after a device change), unless told to make a new one.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TOPIC_ROOT } from '../../shared/mqtt';
import { mosquittoHash, newSecret } from '../security/deviceCredentials';
import { readCredentialsFile } from './gatewayFile';
import { GATEWAY_USERNAME, type MqttCredentials } from './guard';

export const PASSWORD_FILE = 'password_file';
export const ACL_FILE = 'acl_file';
export const GATEWAY_CREDENTIALS_FILE = 'gateway.json';

export function aclText(): string {
  return [
    '# Written by `npm run devices -- mosquitto`: the same rules as the IOC embedded broker.',
    '# Every device (username = device id): publish on its own topics only, subscribe to nothing.',
    `pattern write ${TOPIC_ROOT}/+/%u/+`,
    '',
    '# The gateway: the server ingest (subscribes) and the simulator fleet (publishes for many devices).',
    `user ${GATEWAY_USERNAME}`,
    `topic readwrite ${TOPIC_ROOT}/#`,
    '',
  ].join('\n');
}

/** Replaces a file atomically, created with mode 0600. */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export interface MosquittoFiles {
  passwordFile: string;
  aclFile: string;
  gatewayFile: string;
  gateway: MqttCredentials;
  /** False when the gateway's secret of an earlier run was kept. */
  newGateway: boolean;
  devices: number;
}

export function writeMosquittoFiles(dir: string, devices: readonly { deviceId: string; hash: string }[], opts: { newGateway?: boolean } = {}): MosquittoFiles {
  mkdirSync(dir, { recursive: true });
  const previous = path.join(dir, GATEWAY_CREDENTIALS_FILE);
  const kept = !opts.newGateway && existsSync(previous) ? readCredentialsFile(previous) : undefined;
  const gateway = { username: GATEWAY_USERNAME, password: kept?.username === GATEWAY_USERNAME ? kept.password : newSecret() };
  const lines = [`${gateway.username}:${mosquittoHash(gateway.password)}`, ...devices.map((d) => `${d.deviceId}:${d.hash}`)];
  const passwordFile = path.join(dir, PASSWORD_FILE);
  const aclFile = path.join(dir, ACL_FILE);
  const gatewayFile = path.join(dir, GATEWAY_CREDENTIALS_FILE);
  writePrivate(passwordFile, `${lines.join('\n')}\n`);
  writePrivate(aclFile, aclText());
  writePrivate(gatewayFile, `${JSON.stringify(gateway)}\n`);
  return { passwordFile, aclFile, gatewayFile, gateway, newGateway: gateway.password !== kept?.password, devices: devices.length };
}
