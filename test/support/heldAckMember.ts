/**
 * A shared-subscription member as app.ts starts one in a cluster, in a process of its own so a test can kill it
 * (SIGKILL: no DISCONNECT, as a crash): `startMqttSource` with held acknowledgements that are never released,
 * as if its store never got to write. It tells its parent every payload it is handed.
 * Usage: tsx test/support/heldAckMember.ts <url> <clientId> <group>
 */
import { createLogger } from '../../server/log';
import { HeldAcks } from '../../server/ingest/heldAcks';
import { startMqttSource } from '../../server/ingest/mqttSource';

const [url, clientId, group] = process.argv.slice(2);
await startMqttSource(url!, clientId!, (_topic, payload) => process.send!(payload.toString()), createLogger('silent'), { shareGroup: group, heldAcks: new HeldAcks() });
process.send!('ready');
