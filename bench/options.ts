/** Command-line options of `npm run bench`: quick and full presets, and overrides. */
import type { ViewName } from '../shared/events';
import type { BrokerKind, Qos } from './lib/rig';

export const PARTS = ['ceiling', 'ingest', 'breakdown', 'latency', 'fanout', 'memory', 'framerate', 'store', 'cluster'] as const;
export const STORE_ENGINES = ['sqlite', 'postgresql'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];
export type PartName = (typeof PARTS)[number];
export const CLUSTER_CHECKS = ['failover', 'ingest', 'fanout'] as const;
export type ClusterCheck = (typeof CLUSTER_CHECKS)[number];

/** Where latency, fan-out and memory get their MQTT from. */
export type LiveBroker = 'embedded' | BrokerKind;

export interface BenchOptions {
  quick: boolean;
  /** Write a V8 CPU profile of every server process, and summarize where its time went. */
  profile: boolean;
  /** The server's reading store: on (as in production) or off, to measure what storing costs the ingest. */
  store: 'on' | 'off';
  parts: PartName[];
  runs: number;
  brokers: BrokerKind[];
  qos: Qos[];
  /** Window of a search step of the ceiling/ingest search, s. */
  stepSec: number;
  /** The breakdown part's fixed load (msg/s), below the ceilings so that nothing backs up, and its window (s). */
  breakdownRate: number;
  breakdownSec: number;
  /** Window that confirms the highest rate found (0: no confirmation), s. */
  confirmSec: number;
  /** Window of the "as fast as it goes" probe that seeds the search, s. */
  probeSec: number;
  /** At most this many search steps before the confirmation. */
  maxSteps: number;
  liveBroker: LiveBroker;
  /** Loads of the latency part, msg/s; 'demo' is the fleet's own rate. */
  latencyRates: (number | 'demo')[];
  latencySec: number;
  fanoutClients: number[];
  fanoutViews: ViewName[];
  /** Load during the fan-out part, msg/s or the demo fleet's. */
  fanoutRate: number | 'demo';
  fanoutSec: number;
  memoryRate: number;
  memorySec: number;
  /** Devices of the frame-rate part. */
  frameDevices: number[];
  frameSec: number;
  /** Devices of the store part's large snapshot (the registry's plus IoT clones). */
  storeDevices: number;
  /** Queries per run of each store latency figure. */
  storeSamples: number;
  /** Hours of readings behind the snapshot and export figures (24; fewer only for smoke runs). */
  storeHours: number;
  storeEngines: StoreEngine[];
  /** What the cluster part measures: fail-over kills, ingest through the shared subscription, walls over the instances. */
  clusterChecks: ClusterCheck[];
  /** Wall clients of the cluster's fan-out, spread over the instances by nginx. */
  clusterClients: number;
}

const FULL: Omit<BenchOptions, 'quick' | 'parts' | 'profile' | 'store' | 'clusterChecks' | 'clusterClients'> = {
  runs: 3,
  brokers: ['aedes', 'mosquitto'],
  qos: [0, 1],
  stepSec: 10,
  confirmSec: 60,
  probeSec: 5,
  maxSteps: 5,
  breakdownRate: 20_000,
  breakdownSec: 20,
  liveBroker: 'embedded',
  latencyRates: [20_000, 'demo'],
  latencySec: 45,
  fanoutClients: [1, 100, 500, 1000],
  fanoutViews: ['wall', 'mobile'],
  fanoutRate: 'demo',
  fanoutSec: 15,
  memoryRate: 20_000,
  memorySec: 600,
  frameDevices: [10_000, 50_000, 100_000],
  frameSec: 15,
  storeDevices: 100_000,
  storeSamples: 30,
  storeHours: 24,
  storeEngines: [...STORE_ENGINES],
};

const QUICK: Omit<BenchOptions, 'quick' | 'parts' | 'profile' | 'store' | 'clusterChecks' | 'clusterClients'> = {
  ...FULL,
  runs: 1,
  stepSec: 4,
  confirmSec: 0,
  probeSec: 3,
  maxSteps: 4,
  breakdownSec: 8,
  latencySec: 10,
  fanoutSec: 6,
  memorySec: 60,
  frameSec: 6,
  storeDevices: 20_000,
};

export const USAGE = `usage: npm run bench -- [--quick] [--only ${PARTS.join(',')}] [options]
  --quick                 a run of a few minutes: 1 run per figure, short windows, no 60 s confirmation of the ingest
  --profile               CPU-profile every server process (node --cpu-prof) and print where its time went
  --only a,b              run only these parts (default: all)
  --runs N                runs per figure (default 3; quick 1)
  --brokers aedes,mosquitto   brokers of the ceiling and ingest parts
  --store on|off          the server's reading store (default on); off measures what storing costs the ingest
  --qos 0,1               QoS levels of the ceiling and ingest parts
  --step-sec S --confirm-sec S --probe-sec S --max-steps N   the rate search
  --breakdown-rate N --breakdown-sec S   the breakdown part's fixed load (default 20000 msg/s, 20 s) on each --brokers and --qos
  --live-broker embedded|aedes|mosquitto   broker of latency, fan-out and memory (default embedded)
  --latency-rates 20000,demo --latency-sec S
  --fanout-clients 1,100,500,1000 --fanout-views wall,mobile --fanout-rate demo|N --fanout-sec S
  --memory-rate N --memory-sec S
  --frame-devices 10000,50000,100000 --frame-sec S
  --store-devices 100000 --store-samples 30 --store-hours 24 --store-engines sqlite,postgresql
  --cluster-checks failover,ingest,fanout --cluster-clients 1000   the cluster part (ingest at the first --qos)`;

function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function num(flag: string, v: string, min = 0): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`${flag}: expected a number >= ${min}, got '${v}'`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const o: BenchOptions = { quick, profile: argv.includes('--profile'), store: 'on', parts: [...PARTS], clusterChecks: [...CLUSTER_CHECKS], clusterClients: 1000, ...(quick ? QUICK : FULL) };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k]!;
    if (flag === '--quick' || flag === '--profile') continue;
    if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    const v = argv[++k];
    if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    switch (flag) {
      case '--store':
        if (v !== 'on' && v !== 'off') throw new Error(`--store: on or off`);
        o.store = v;
        break;
      case '--only': {
        const parts = list(v);
        for (const p of parts) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part '${p}' (one of ${PARTS.join(', ')})`);
        o.parts = parts as PartName[];
        break;
      }
      case '--runs':
        o.runs = num(flag, v, 1);
        break;
      case '--brokers':
        o.brokers = list(v).map((b) => {
          if (b !== 'aedes' && b !== 'mosquitto') throw new Error(`--brokers: unknown broker '${b}'`);
          return b;
        });
        break;
      case '--qos':
        o.qos = list(v).map((q) => {
          if (q !== '0' && q !== '1') throw new Error(`--qos: 0 or 1, got '${q}'`);
          return Number(q) as Qos;
        });
        break;
      case '--step-sec':
        o.stepSec = num(flag, v, 3);
        break;
      case '--confirm-sec':
        o.confirmSec = num(flag, v);
        break;
      case '--probe-sec':
        o.probeSec = num(flag, v, 2);
        break;
      case '--max-steps':
        o.maxSteps = num(flag, v, 1);
        break;
      case '--breakdown-rate':
        o.breakdownRate = num(flag, v, 1);
        break;
      case '--breakdown-sec':
        o.breakdownSec = num(flag, v, 1);
        break;
      case '--live-broker':
        if (v !== 'embedded' && v !== 'aedes' && v !== 'mosquitto') throw new Error(`--live-broker: embedded, aedes or mosquitto`);
        o.liveBroker = v;
        break;
      case '--latency-rates':
        o.latencyRates = list(v).map((r) => (r === 'demo' ? 'demo' : num(flag, r, 1)));
        break;
      case '--latency-sec':
        o.latencySec = num(flag, v, 3);
        break;
      case '--fanout-clients':
        o.fanoutClients = list(v).map((n) => num(flag, n, 1));
        break;
      case '--fanout-views':
        o.fanoutViews = list(v).map((view) => {
          if (view !== 'wall' && view !== 'mobile') throw new Error(`--fanout-views: wall or mobile`);
          return view;
        });
        break;
      case '--fanout-rate':
        o.fanoutRate = v === 'demo' ? 'demo' : num(flag, v, 1);
        break;
      case '--cluster-checks':
        o.clusterChecks = list(v).map((c) => {
          if (!(CLUSTER_CHECKS as readonly string[]).includes(c)) throw new Error(`--cluster-checks: unknown check '${c}' (one of ${CLUSTER_CHECKS.join(', ')})`);
          return c as ClusterCheck;
        });
        break;
      case '--cluster-clients':
        o.clusterClients = num(flag, v, 1);
        break;
      case '--fanout-sec':
        o.fanoutSec = num(flag, v, 3);
        break;
      case '--memory-rate':
        o.memoryRate = num(flag, v, 1);
        break;
      case '--memory-sec':
        o.memorySec = num(flag, v, 10);
        break;
      case '--frame-devices':
        o.frameDevices = list(v).map((n) => num(flag, n, 1));
        break;
      case '--frame-sec':
        o.frameSec = num(flag, v, 3);
        break;
      case '--store-devices':
        o.storeDevices = num(flag, v, 2_286);
        break;
      case '--store-hours':
        o.storeHours = num(flag, v, 4);
        break;
      case '--store-samples':
        o.storeSamples = num(flag, v, 1);
        break;
      case '--store-engines':
        o.storeEngines = list(v).map((e) => {
          if (e !== 'sqlite' && e !== 'postgresql') throw new Error(`--store-engines: sqlite or postgresql`);
          return e;
        });
        break;
      default:
        throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return o;
}
