/**
 * `npm run cluster [-- --port 8080] [--instances 2] [--no-fleet]`: the scale-out deployment on this machine
 * (server/cluster/cluster.ts) from Debian's packages, in DATA_DIR (default ./data/cluster). Installs nothing.
 * Ctrl-C (or SIGTERM) stops every part in the reverse order of their start.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_PROVINCE } from '../../shared/provinces';
import { isProvinceSlug } from '../provinces/catalog';
import { findClusterBinaries } from '../cluster/local/binaries';
import { INSTANCE_NAMES, startCluster, type Cluster } from '../cluster/local/cluster';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const CLUSTER_USAGE = `usage: npm run cluster -- [--port 8080] [--instances 2] [--no-fleet]
  starts PostgreSQL, Mosquitto, Redis, N IOC instances, the simulator fleet and nginx on 127.0.0.1,
  with their data, configuration and logs in DATA_DIR (default ./data/cluster); Ctrl-C stops them
environment: PROVINCE, DATA_DIR, LOG_LEVEL (passed to the instances)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: { port: { type: 'string', default: '8080' }, instances: { type: 'string', default: '2' }, 'no-fleet': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${CLUSTER_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(CLUSTER_USAGE);
    return 0;
  }
  const port = Number(args.port);
  const instances = Number(args.instances);
  const province = process.env.PROVINCE ?? DEFAULT_PROVINCE;
  const problems = [
    ...(Number.isInteger(port) && port > 0 && port < 65536 ? [] : [`--port: a port number, not '${args.port}'`]),
    ...(Number.isInteger(instances) && instances >= 1 && instances <= INSTANCE_NAMES.length ? [] : [`--instances: 1 to ${INSTANCE_NAMES.length}, not '${args.instances}'`]),
    ...(isProvinceSlug(province) ? [] : [`PROVINCE: unknown province '${province}'`]),
  ];
  if (problems.length > 0 || !isProvinceSlug(province)) {
    console.error(`${problems.join('\n')}\n${CLUSTER_USAGE}`);
    return 2;
  }
  const found = findClusterBinaries();
  if (!found.ok) {
    console.error(
      `npm run cluster runs Debian's ${found.missing.join(', ')}, not found on PATH or in /usr/sbin, /usr/bin, /usr/lib/postgresql.\n` +
        `Install with:\n  ${found.install}\n(only the programs are used: their own services can stay stopped)`,
    );
    return 1;
  }

  const dir = path.resolve(process.env.DATA_DIR ?? path.join(ROOT, 'data', 'cluster'));
  const abort = new AbortController();
  let cluster: Cluster | undefined;
  let signalled = false;
  const finished = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) return;
      signalled = true;
      console.log(`\n${signal}: stopping the cluster`);
      abort.abort(new Error(`${signal} during the start`));
      if (cluster) void cluster.stop().then(resolve);
      else resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  console.log(`starting the IOC cluster in ${dir}`);
  try {
    cluster = await startCluster({ root: ROOT, dir, port, instances, province, fleet: !args['no-fleet'], bins: found.bins, env: process.env, print: (l) => console.log(l), signal: abort.signal });
  } catch (err) {
    if (signalled) {
      console.log('stopped');
      return 130;
    }
    console.error(`\nnpm run cluster: ${(err as Error).message}`);
    return 1;
  }
  // A signal that came during the start's last step: stop now.
  if (signalled) await cluster.stop();
  await finished;
  console.log('stopped');
  return 0;
}

main().then((code) => process.exit(code));
