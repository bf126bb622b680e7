/** The embedded MQTT broker (aedes) for the one-machine setup; not started when MQTT_URL is set. */
import { createServer, type AddressInfo } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { createSafeMqEmitter } from './safeEmitter';
import type { BrokerGuard, BrokerPrincipal } from './guard';

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

/** MQTT 3.1.1 CONNACK return codes aedes sends for a refused CONNECT. */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refusal(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * Without a guard every client is let in (unit tests of the simulators and the recorder); the app always
 * passes one (server/broker/guard.ts).
 */
export async function startEmbeddedBroker(port: number, host: string, guard?: BrokerGuard): Promise<EmbeddedBroker> {
  let closing = false;
  const principals = new WeakMap<Client, BrokerPrincipal>();
  const broker = await Aedes.createBroker({
    drainTimeout: 30_000,
    concurrency: CONCURRENCY,
    mq: createSafeMqEmitter({ concurrency: CONCURRENCY }),
    // Device ids are up to 64 characters; the MQTT 3.1.1 default of 23 would refuse long client ids.
    maxClientsIdLength: 128,
    // While shutting down, the clients' wills (thousands at once) are of no use to anyone. A refused
    // publish ends the connection (MQTT 3.1.1 has no negative PUBACK: MQTT-3.3.5-2).
    authorizePublish: (client, packet, done) => {
      if (closing) return done(new Error('broker closing'));
      if (!guard || !client) return done(packet.topic.startsWith('$SYS') ? new Error('$SYS is reserved') : null);
      const p = principals.get(client);
      done(p && guard.mayPublish(p, packet.topic) ? null : new Error(`not allowed to publish on ${packet.topic}`));
    },
    ...(guard && {
      authenticate: (client, username, password, done) => {
        guard.authenticate(username, password).then(
          (r) => {
            if ('refused' in r) {
              const code = r.refused === 'noCredentials' || r.refused === 'badSecret' ? BAD_USERNAME_OR_PASSWORD : NOT_AUTHORIZED;
              return done(refusal(r.refused, code), false);
            }
            principals.set(client, r);
            done(null, true);
          },
          () => done(refusal('credential check failed', 3), false),
        );
      },
      // Refused in the SUBACK (0x80), the connection stays: devices have nothing to subscribe to.
      authorizeSubscribe: (client, sub, done) => {
        const p = principals.get(client);
        done(null, p && guard.maySubscribe(p, sub.topic) ? sub : null);
      },
    }),
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
