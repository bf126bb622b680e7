/**
 * `npm run devices -- credentials|revoke|list|mosquitto`: device secrets for the broker, from the shell. Works
 * on the identity database the server uses (DATA_DIR or DATABASE_URL), also while the server runs: a rotated
 * or revoked secret is refused at the device's next connect (within seconds: the server's short cache).
 * Every change is audited with actor `cli`; a secret is printed once (or written to a 0600 file with --out)
 * and never stored, only its HMAC.
 */
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_PROVINCE } from '../../shared/provinces';
import { isProvinceSlug } from '../provinces/catalog';
import { writeMosquittoFiles } from '../broker/mosquittoFiles';
import { loadRegistry } from '../provinces/load';
import { AuditLog } from '../security/audit';
import { DeviceCredentials } from '../security/deviceCredentials';
import { openIdentityDb } from '../store/sqlDb';

const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export const DEVICES_USAGE = `usage:
  npm run devices -- credentials DEVICE_ID [--out FILE]   issue or rotate a device's secret (shown once, or
                                                          written to FILE, mode 0600, as {"username","password"})
  npm run devices -- revoke DEVICE_ID                     refuse the device's secret from its next connect
  npm run devices -- list                                 devices with a credential
  npm run devices -- mosquitto --out DIR [--new-gateway]  Mosquitto password_file and acl_file (for MQTT_URL), and
                                                          DIR/gateway.json, the server's own login (MQTT_CREDENTIALS;
                                                          kept from an earlier run unless --new-gateway)
the MQTT username is the device id, the password its secret
environment: PROVINCE, DATA_DIR (default ./data), DATABASE_URL`;

export interface DevicesEnv {
  PROVINCE?: string;
  DATA_DIR?: string;
  DATABASE_URL?: string;
}

class UsageError extends Error {}

function time(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export async function runDevicesCli(argv: string[], env: DevicesEnv, print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  let r;
  try {
    r = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { out: { type: 'string' }, 'new-gateway': { type: 'boolean' } } });
  } catch (err) {
    print(`${(err as Error).message}\n${DEVICES_USAGE}`);
    return 2;
  }
  const province = env.PROVINCE ?? DEFAULT_PROVINCE;
  if (!isProvinceSlug(province)) {
    print(`unknown province '${province}'`);
    return 2;
  }
  const db = await openIdentityDb({ province, dataDir: path.resolve(env.DATA_DIR ?? DEFAULT_DATA_DIR), databaseUrl: env.DATABASE_URL || undefined });
  try {
    const creds = await DeviceCredentials.open(db, Date.now);
    const audit = await AuditLog.open(db, Date.now);
    const deviceId = (): string => {
      const id = r.positionals[0];
      if (!id) throw new UsageError('missing DEVICE_ID');
      if (!loadRegistry(province).registry.devices.some((d) => d.id === id)) throw new Error(`no device '${id}' in the registry of ${province}`);
      return id;
    };
    switch (command) {
      case 'credentials': {
        const id = deviceId();
        const { secret, rotated } = await creds.issue(id);
        await audit.append({ actor: 'cli', action: 'device.credentials', target: id, detail: { rotated } });
        const what = rotated ? 'rotated: the old secret no longer works' : 'issued';
        if (r.values.out) {
          const file = path.resolve(r.values.out);
          const tmp = `${file}.${process.pid}.tmp`;
          rmSync(tmp, { force: true });
          writeFileSync(tmp, `${JSON.stringify({ username: id, password: secret })}\n`, { mode: 0o600, flag: 'wx' });
          chmodSync(tmp, 0o600);
          renameSync(tmp, file);
          print(`credential of ${id} ${what}\n  written to ${file} (mode 0600)`);
        } else {
          print(`credential of ${id} ${what}\n  MQTT username: ${id}\n  MQTT password (shown once): ${secret}`);
        }
        return 0;
      }
      case 'revoke': {
        const id = deviceId();
        if (!(await creds.revoke(id))) throw new Error(`${id} has no credential to revoke`);
        await audit.append({ actor: 'cli', action: 'device.credentials.revoke', target: id });
        print(`credential of ${id} revoked: refused from its next connect`);
        return 0;
      }
      case 'list': {
        for (const c of await creds.list()) {
          print(`${c.deviceId.padEnd(24)} ${c.revokedAt === null ? 'hiệu lực' : 'THU HỒI '}  cấp ${time(c.createdAt)}  đổi ${time(c.rotatedAt)}${c.revokedAt === null ? '' : `  thu hồi ${time(c.revokedAt)}`}`);
        }
        return 0;
      }
      case 'mosquitto': {
        if (!r.values.out) throw new UsageError('mosquitto needs --out DIR');
        const files = writeMosquittoFiles(path.resolve(r.values.out), await creds.mosquittoEntries(), { newGateway: r.values['new-gateway'] === true });
        await audit.append({ actor: 'cli', action: 'gateway.credentials', target: 'mosquitto', detail: { devices: files.devices, newGateway: files.newGateway } });
        print(
          [
            `wrote ${files.passwordFile} (${files.devices} devices and the gateway), ${files.aclFile}, ${files.gatewayFile} (mode 0600;`,
            `  Mosquitto started as root reads them as its own user: chown mosquitto: ${files.passwordFile} ${files.aclFile})`,
            'in mosquitto.conf:',
            '  allow_anonymous false',
            `  password_file ${files.passwordFile}`,
            `  acl_file ${files.aclFile}`,
            `start the IOC with MQTT_URL=mqtt://HOST:1883 MQTT_CREDENTIALS=${files.gatewayFile}`,
            `run this again after issuing or revoking a credential, then reload Mosquitto (kill -HUP); the gateway secret ${files.newGateway ? 'is new: restart the IOC' : 'was kept'} (--new-gateway makes a new one)`,
          ].join('\n'),
        );
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    }
  } catch (err) {
    if (err instanceof UsageError) {
      print(`${err.message}\n${DEVICES_USAGE}`);
      return 2;
    }
    print(`devices: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runDevicesCli(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
