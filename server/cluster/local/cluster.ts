/**
 * `npm run cluster`: the scale-out deployment of DESIGN.md "Scale path" on one machine, from Debian's
 * programs, in one folder: PostgreSQL, Mosquitto (with the device credentials of `npm run devices --
 * mosquitto`), Redis, N IOC instances, the simulator fleet and nginx in front. Started in that order, each
 * once it answers; stopped in the reverse order.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { SUBSCRIBE_TOPIC } from '../../../shared/mqtt';
import type { ProvinceSlug } from '../../../shared/provinces';
import { readCredentialsFile } from '../../broker/gatewayFile';
import { runDevicesCli } from '../../cli/devices';
import { fleetArgs } from '../../fleetProcess';
import { UserStore } from '../../security/users';
import { openIdentityDb } from '../../store/sqlDb';
import type { ClusterBinaries } from './binaries';
import { mosquittoConf, nginxConf, redisArgs } from './configs';
import { startPart, type Part, type PartSpec } from './parts';
import { canConnect, freePort } from './ports';
import { asPostgresUser, chownToPostgres, pgCommand, runPg } from './postgres';
import { firstMessage, httpOk, mqttLogin, pgAnswers, redisPing, waitUntil } from './probes';

export interface ClusterOptions {
  /** The repository (server/main.ts and simulators/ are found under it). */
  root: string;
  /** The cluster's folder: every part's data, configuration and log. */
  dir: string;
  /** nginx's port on 127.0.0.1. */
  port: number;
  instances: number;
  province: ProvinceSlug;
  /** Whether to run the simulator fleet. */
  fleet: boolean;
  bins: ClusterBinaries;
  /** Passed on to the instances (LOG_LEVEL and the like); what the cluster sets wins. */
  env: NodeJS.ProcessEnv;
  print: (line: string) => void;
  /** Aborts a start under way (Ctrl-C): what started is stopped. */
  signal?: AbortSignal;
}

export interface Cluster {
  url: string;
  /** The running parts; an instance restarted by `restartInstance` is replaced in place. */
  parts: readonly Part[];
  /**
   * Starts an instance again (after it was killed, or stops it first) on its own port, data and name, as an
   * operator restarting a machine would; resolves once it answers /api/health/live.
   */
  restartInstance(name: string): Promise<Part>;
  stop(): Promise<void>;
}

export const INSTANCE_NAMES = 'abcdefgh'.split('').map((l) => `ioc-${l}`);

/** A secret kept in a 0600 file of the folder: read when there, else made and written. */
function secretFile(file: string): { value: string; created: boolean } {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  const value = randomBytes(18).toString('base64url');
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, created: true };
}

function idOf(user: string): { uid: number; gid: number } {
  return { uid: Number(execFileSync('id', ['-u', user]).toString().trim()), gid: Number(execFileSync('id', ['-g', user]).toString().trim()) };
}

/** Runs a program to its end without blocking the loop (pg_ctl stop); throws on failure. */
function run({ file, args }: { file: string; args: string[] }): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(file, args, { stdio: 'ignore' });
    c.once('error', reject);
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited ${code}`))));
  });
}

/** A pid file naming a live process. */
function livePid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const dir = path.resolve(o.dir);
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  // PostgreSQL runs as its own user (when we are root): it must be able to reach its folder inside this one.
  if (asPostgresUser()) chmodSync(dir, 0o711);
  const lock = path.join(dir, 'cluster.pid');
  const running = livePid(lock);
  if (running !== null && running !== process.pid) throw new Error(`a cluster already runs in ${dir} (pid ${running}); stop it first (Ctrl-C there, or kill ${running})`);
  if (await canConnect(o.port)) throw new Error(`port ${o.port} is taken: choose another with --port`);
  writeFileSync(lock, `${process.pid}\n`);

  const parts: Part[] = [];
  const onDeath = (p: Part) => {
    const how = p.exit?.signal ?? `code ${p.exit?.code}`;
    o.print(`\n!! ${p.name} (pid ${p.pid}) stopped by itself (${how}); the others go on. Its log: ${p.log}`);
  };
  const start = (spec: Omit<PartSpec, 'log'>): Part => {
    const part = startPart({ ...spec, log: path.join(logs, `${spec.name}.log`) }, onDeath);
    parts.push(part);
    return part;
  };
  const step = (what: string) => {
    o.signal?.throwIfAborted();
    o.print(`  ${what}…`);
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const p of [...parts].reverse()) {
        if (p.exit) continue;
        o.print(`  stopping ${p.name} (pid ${p.pid})`);
        await p.stop();
      }
      if (livePid(lock) === process.pid) rmSync(lock, { force: true });
    })());

  try {
    // PostgreSQL: a cluster of its own in the folder, kept between runs; password login on loopback.
    step('PostgreSQL');
    const pgDir = path.join(dir, 'postgres');
    const data = path.join(pgDir, 'data');
    mkdirSync(pgDir, { recursive: true });
    chmodSync(pgDir, 0o700);
    chownToPostgres(pgDir);
    const pgPassword = secretFile(path.join(dir, 'postgres-password'));
    if (!existsSync(path.join(data, 'PG_VERSION'))) {
      rmSync(data, { recursive: true, force: true });
      const pwfile = path.join(pgDir, 'initdb-password');
      writeFileSync(pwfile, `${pgPassword.value}\n`, { mode: 0o600 });
      chownToPostgres(pwfile);
      try {
        runPg(o.bins.pg, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8']);
      } finally {
        rmSync(pwfile, { force: true });
      }
    }
    const pgPort = await freePort();
    const pgCmd = pgCommand(o.bins.pg, 'postgres', ['-D', data, '-p', String(pgPort), '-k', pgDir, '-c', 'listen_addresses=127.0.0.1']);
    const postgres = start({
      name: 'postgres',
      ...pgCmd,
      where: `127.0.0.1:${pgPort} (${data})`,
      // Fast shutdown (SIGINT to the postmaster); the instances are gone by then.
      stop: () => run(pgCommand(o.bins.pg, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])),
      graceMs: 30_000,
    });
    const adminUrl = `postgres://postgres:${pgPassword.value}@127.0.0.1:${pgPort}/postgres`;
    await waitUntil('PostgreSQL', () => pgAnswers(adminUrl), { timeoutMs: 60_000, part: postgres, signal: o.signal });
    const databaseUrl = `postgres://postgres:${pgPassword.value}@127.0.0.1:${pgPort}/ioc`;
    {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        if ((await c.query("SELECT 1 FROM pg_database WHERE datname = 'ioc'")).rowCount === 0) await c.query('CREATE DATABASE ioc');
      } finally {
        await c.end();
      }
    }

    // Mosquitto with the devices' credentials from the identity tables, as `npm run devices -- mosquitto`.
    step('Mosquitto');
    const mqDir = path.join(dir, 'mosquitto');
    const devicesLog: string[] = [];
    const code = await runDevicesCli(['mosquitto', '--out', mqDir], { PROVINCE: o.province, DATA_DIR: dir, DATABASE_URL: databaseUrl }, (l) => devicesLog.push(l));
    if (code !== 0) throw new Error(`npm run devices -- mosquitto failed:\n${devicesLog.join('\n')}`);
    const passwordFile = path.join(mqDir, 'password_file');
    const aclFile = path.join(mqDir, 'acl_file');
    const gatewayFile = path.join(mqDir, 'gateway.json');
    // Started as root, Mosquitto reads these as its own user.
    if (process.getuid?.() === 0) {
      const { uid, gid } = idOf('mosquitto');
      for (const f of [passwordFile, aclFile]) chownSync(f, uid, gid);
    }
    const gateway = readCredentialsFile(gatewayFile);
    const mqPort = await freePort();
    const mqConf = path.join(mqDir, 'mosquitto.conf');
    writeFileSync(mqConf, mosquittoConf({ port: mqPort, passwordFile, aclFile }));
    const mqttUrl = `mqtt://127.0.0.1:${mqPort}`;
    const mosquitto = start({ name: 'mosquitto', file: o.bins.mosquitto, args: ['-c', mqConf], where: mqttUrl });
    await waitUntil('Mosquitto', () => mqttLogin(mqttUrl, gateway), { timeoutMs: 20_000, part: mosquitto, signal: o.signal });

    step('Redis');
    const redisDir = path.join(dir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    const redisPort = await freePort();
    const redis = start({ name: 'redis', file: o.bins.redis, args: redisArgs(redisPort, redisDir), where: `redis://127.0.0.1:${redisPort}` });
    await waitUntil('Redis', () => redisPing(redisPort), { timeoutMs: 20_000, part: redis, signal: o.signal });

    // The first admin's password, chosen here so it can be printed; only used when there is no user yet.
    const admin = secretFile(path.join(dir, 'admin-password'));
    const identity = await openIdentityDb({ province: o.province, dataDir: dir, databaseUrl });
    const usersBefore = await (await UserStore.open(identity, Date.now)).count().finally(() => identity.close());

    // One after the other: the first builds the client when it is missing and creates the first admin.
    const instances: { name: string; port: number }[] = [];
    const specs = new Map<string, Omit<PartSpec, 'log'>>();
    for (const name of INSTANCE_NAMES.slice(0, o.instances)) {
      const first = instances.length === 0;
      const building = first && !existsSync(path.join(o.root, 'client', 'dist', 'index.html'));
      step(`${name}${building ? ' (building the client first: a minute or two)' : ''}`);
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...o.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PROVINCE: o.province,
        DATABASE_URL: databaseUrl,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        MQTT_URL: mqttUrl,
        MQTT_CREDENTIALS: gatewayFile,
        INSTANCE_ID: name,
        SIMULATE: '0',
        DATA_DIR: path.join(dir, name),
        // One proxy (nginx) in front: rate limits and the audit log see the client's address.
        TRUST_PROXY: '1',
        IOC_ADMIN_PASSWORD: admin.value,
      };
      // Each instance builds its own client id from its port; a shared one would make them throw each other off.
      delete env.MQTT_CLIENT_ID;
      const spec: Omit<PartSpec, 'log'> = {
        name,
        file: process.execPath,
        args: ['--import', 'tsx', path.join(o.root, 'server', 'main.ts'), ...(first ? ['--build-client-if-needed'] : [])],
        cwd: o.root,
        env,
        where: `http://127.0.0.1:${port}`,
        // main.ts gives itself 10 s to close.
        graceMs: 15_000,
      };
      specs.set(name, spec);
      const part = start(spec);
      await waitUntil(name, () => httpOk(`http://127.0.0.1:${port}/api/health/live`), { timeoutMs: building ? 300_000 : 90_000, part, signal: o.signal });
      instances.push({ name, port });
    }

    if (o.fleet) {
      step('simulator fleet');
      const fleet = start({
        name: 'fleet',
        file: process.execPath,
        args: fleetArgs({ root: o.root, province: o.province, mqttUrl, credentialsFile: gatewayFile, speed: 1, seed: 1, scenario: 'normal-day', fromHours: 0, rehearsal: false }),
        cwd: o.root,
        where: `→ ${mqttUrl}`,
      });
      await waitUntil('the fleet publishing', () => firstMessage(mqttUrl, gateway, SUBSCRIBE_TOPIC, 5000, o.signal).then(() => true), { timeoutMs: 60_000, part: fleet, signal: o.signal });
    }

    step('nginx');
    const ngDir = path.join(dir, 'nginx');
    mkdirSync(path.join(ngDir, 'tmp'), { recursive: true });
    const ngConf = path.join(ngDir, 'nginx.conf');
    // As root the workers drop to nobody (nginx makes its temp folders theirs); otherwise they stay us.
    writeFileSync(ngConf, nginxConf({ port: o.port, upstreams: instances.map((i) => i.port), prefix: ngDir, user: process.getuid?.() === 0 ? 'nobody nogroup' : undefined }));
    const url = `http://127.0.0.1:${o.port}`;
    const nginx = start({
      name: 'nginx',
      file: o.bins.nginx,
      // -e: the error log from the very start (before the config is read nginx would try /var/log/nginx).
      args: ['-c', ngConf, '-p', `${ngDir}/`, '-e', path.join(ngDir, 'error.log'), '-g', 'daemon off;'],
      where: `${url}/ → ${instances.map((i) => i.name).join(', ')}`,
    });
    await waitUntil('nginx', () => httpOk(`${url}/api/health/live`), { timeoutMs: 20_000, part: nginx, signal: o.signal });

    o.print('');
    o.print(`IOC cluster of ${instances.length} instance${instances.length > 1 ? 's' : ''} in ${dir}`);
    o.print(`  open ${url}/  (nginx, no sticky sessions)`);
    for (const p of parts) o.print(`  ${p.name.padEnd(10)} pid ${String(p.pid).padEnd(8)} ${p.where}`);
    o.print(`  logs: ${logs}/<part>.log`);
    if (usersBefore === 0) o.print(`  first admin: admin / ${admin.value}  (also in ${path.join(dir, 'admin-password')}, mode 0600; change it after logging in)`);
    else o.print(`  users exist already (the first admin's password was set from ${path.join(dir, 'admin-password')})`);
    if (asPostgresUser()) o.print('  PostgreSQL runs as the postgres user; the workers of nginx as nobody; Mosquitto as mosquitto');
    o.print('  Ctrl-C stops everything.');
    const restartInstance = async (name: string): Promise<Part> => {
      const spec = specs.get(name);
      const k = parts.findIndex((p) => p.name === name);
      if (!spec || k < 0) throw new Error(`no instance ${name} in this cluster`);
      const old = parts[k]!;
      if (!old.exit) await old.stop();
      const part = startPart({ ...spec, log: path.join(logs, `${name}.log`) }, onDeath);
      parts[k] = part;
      await waitUntil(name, () => httpOk(spec.where + '/api/health/live'), { timeoutMs: 90_000, part, signal: o.signal });
      return part;
    };
    return { url, parts, restartInstance, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
