/** The embedded MQTT broker (aedes) for the one-machine setup; not started when MQTT_URL is set. */
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { createSafeMqEmitter } from './safeEmitter';

/** Deliveries in flight before mqemitter queues (its default is 100). */
const CONCURRENCY = 1000;

export interface EmbeddedBroker {
  url: string;
  port: number;
  connectedClients(): number;
  /**
   * Delivers every message published on `topic` (a filter) to `onMessage` inside this process:
   * no loopback MQTT connection, no second encode and parse of each packet. The broker and the
   * subscriber start and stop together, so there is no session to keep and nothing retained
   * that predates the subscription.
   */
  subscribeInProcess(topic: string, onMessage: (topic: string, payload: Buffer) => void): Promise<InProcessSource>;
  close(): Promise<void>;
}

export interface InProcessSource {
  connected(): boolean;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(port: number, host: string): Promise<EmbeddedBroker> {
  let closing = false;
  const broker = await Aedes.createBroker({
    drainTimeout: 30_000,
    concurrency: CONCURRENCY,
    mq: createSafeMqEmitter({ concurrency: CONCURRENCY }),
    // Device ids are up to 64 characters; the MQTT 3.1.1 default of 23 would refuse long client ids.
    maxClientsIdLength: 128,
    // While shutting down, the clients' wills (thousands at once) are of no use to anyone.
    authorizePublish: (_client, _packet, done) => done(closing ? new Error('broker closing') : null),
  });
  const server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `mqtt://${urlHost}:${actual}`,
    port: actual,
    connectedClients: () => broker.connectedClients,
    subscribeInProcess: (topic, onMessage) => {
      let open = true;
      const deliver = (packet: { topic: string; payload: Buffer | string }, cb: () => void) => {
        // A packet published from code may carry a string payload; devices send Buffers.
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        try {
          onMessage(packet.topic, payload);
        } finally {
          cb();
        }
      };
      return new Promise((resolve) => {
        broker.subscribe(topic, deliver as never, () =>
          resolve({
            connected: () => open && !closing,
            close: () =>
              new Promise<void>((done) => {
                if (!open) return done();
                open = false;
                broker.unsubscribe(topic, deliver as never, () => done());
              }),
          }),
        );
      });
    },
    close: async () => {
      closing = true;
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients still attached would keep close() waiting; the broker has already ended them.
        server.unref();
      });
    },
  };
}
