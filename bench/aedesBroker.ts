/**
 * The server's embedded broker (aedes, built by server/broker/embedded.ts) alone in its own
 * process on 127.0.0.1 and a free port: the ceiling's and the external-broker ingest's "aedes".
 * Reports: ready { url }.
 */
import { startEmbeddedBroker } from '../server/broker/embedded';
import { exitWithParent, report } from './lib/procs';

const broker = await startEmbeddedBroker(0, '127.0.0.1');
exitWithParent(() => broker.close());
report({ type: 'ready', url: broker.url });
