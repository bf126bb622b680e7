/**
 * How instances of one province talk to each other (DESIGN.md "Scale path"): one-way messages to every other
 * instance (the readings each one took off the shared subscription, alarm changes from the leader) and requests
 * answered by the others (an operator's alarm action, forwarded to the leader). Over Redis: redisBus.ts; alone
 * (no REDIS_URL) nobody else listens.
 */

export interface BusState {
  /** 'solo': one instance, nothing to reach; 'redis': joined by the Socket.IO Redis streams adapter. */
  via: 'solo' | 'redis';
  /** Whether the bus can reach Redis now (always true solo). */
  connected: boolean;
  /** The last error, cleared on reconnect. */
  error: string | null;
  /** Messages sent to and received from the other instances since start. */
  sent: number;
  received: number;
  /** Messages not sent because Redis was unreachable (counted, never queued without bound). */
  dropped: number;
}

export type BusHandler = (payload: unknown, from: string) => void;
/** Answers a request; `undefined` means "not mine to answer" (a follower asked for a leader's job). */
export type BusResponder = (payload: unknown, from: string) => Promise<unknown> | unknown;

export interface InstanceBus {
  readonly instance: string;
  /** To every other instance; fire and forget. */
  publish(channel: string, payload: unknown): void;
  /** Every other instance's `publish` on the channel (never this instance's own). */
  subscribe(channel: string, handler: BusHandler): () => void;
  /**
   * Asks every other instance; resolves with the first defined answer, or undefined when none came within
   * `timeoutMs` (nobody answers, Redis is away).
   */
  request(channel: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** Answers other instances' requests on the channel (one responder per channel). */
  respond(channel: string, responder: BusResponder): () => void;
  state(): BusState;
}

/** One instance alone: nothing to send to, nobody to answer. */
export function soloBus(instance: string): InstanceBus {
  return {
    instance,
    publish: () => undefined,
    subscribe: () => () => undefined,
    request: async () => undefined,
    respond: () => () => undefined,
    state: () => ({ via: 'solo', connected: true, error: null, sent: 0, received: 0, dropped: 0 }),
  };
}
