/**
 * mqemitter (aedes's message bus) hands a queued message to `_do` synchronously from the
 * previous message's completion, so a long queue that drains synchronously recurses once per
 * message and overflows the stack ("Maximum call stack size exceeded", mcollina/mqemitter#204,
 * still open). It happened here when a few thousand devices disconnected at once (their wills).
 *
 * This wrapper trampolines `_do`: a call made while another `_do` is on the stack is queued
 * (its concurrency slot reserved, so new messages still queue behind it and order is kept)
 * and run by the outermost call's loop. The stack stays flat however long the queue.
 */
import mqemitter from 'mqemitter';

type Emitter = ReturnType<typeof mqemitter>;
interface Internals {
  _do(message: unknown, cb: unknown): Emitter;
  current: number;
}

export function createSafeMqEmitter(opts: { concurrency?: number } = {}): Emitter {
  const mq = mqemitter(opts);
  const internals = mq as unknown as Internals;
  const original = internals._do.bind(mq);
  let running = false;
  // FIFO of deferred calls; bounded by mqemitter's own queue, which only holds what it was given.
  let pending: [unknown, unknown][] = [];
  internals._do = (message, cb) => {
    if (running) {
      internals.current++;
      pending.push([message, cb]);
      return mq;
    }
    running = true;
    try {
      original(message, cb);
      for (let k = 0; k < pending.length; k++) {
        const [m, c] = pending[k]!;
        internals.current--;
        original(m, c);
      }
    } finally {
      pending = [];
      running = false;
    }
    return mq;
  };
  return mq;
}
