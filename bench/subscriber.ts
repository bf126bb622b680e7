/**
 * The bare subscriber of the ceiling (its own process): mqtt.js with the server's subscription
 * (ioc/v1/# at QoS 1, persistent session) and nothing but JSON.parse per message. What it
 * receives per second is the most this machine can deliver through the broker.
 *
 * Config (argv[2], JSON): { url }. Reports: ready, progress { received, t } every 250 ms.
 */
import mqtt from 'mqtt';
import { SUBSCRIBE_TOPIC } from '../shared/mqtt';
import { childConfig, exitWithParent, report } from './lib/procs';

const cfg = childConfig<{ url: string }>();
let received = 0;
let bad = 0;

const client = mqtt.connect(cfg.url, { clientId: `bench-sub-${process.pid}`, clean: false, reconnectPeriod: 0, queueQoSZero: false });
client.on('message', (_topic, payload) => {
  try {
    JSON.parse(payload.toString('utf8'));
    received++;
  } catch {
    bad++;
  }
});
client.on('error', (err) => report({ type: 'error', message: `subscriber: ${err.message}` }));
client.on('connect', () => {
  client.subscribe(SUBSCRIBE_TOPIC, { qos: 1 }, (err) => {
    if (err) report({ type: 'error', message: `subscribe: ${err.message}` });
    else report({ type: 'ready' });
  });
});

setInterval(() => report({ type: 'progress', received, bad, t: Date.now() }), 250);
exitWithParent(() => new Promise<void>((resolve) => client.end(true, {}, () => resolve())));
