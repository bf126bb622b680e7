import { describe, expect, it } from 'vitest';
import { handlesMessages, serverStage, stageTimes, threadOf, timeJsonParse, writerStage, writesReadings, type CallFrame, type CpuProfile } from './breakdown';

const ROOT = 'file:///work/main';
const f = (functionName: string, url = ''): CallFrame => ({ functionName, url, lineNumber: 0 });
const frames = {
  root: f('(root)'),
  idle: f('(idle)'),
  gc: f('(garbage collector)'),
  onData: f('onData', `${ROOT}/node_modules/mqtt/build/lib/client.js`),
  parser: f('_parseHeader', `${ROOT}/node_modules/mqtt-packet/parser.js`),
  receive: f('receive', `${ROOT}/server/pipeline.ts`),
  handle: f('handle', `${ROOT}/server/ingest/ingest.ts`),
  jsonParse: f('parse'),
  quick: f('quickTelemetry', `${ROOT}/server/ingest/fastPath.ts`),
  table: f('seen', `${ROOT}/server/devices/deviceTable.ts`),
  // The app's tick is an arrow function: no name in a profile.
  tick: f('', `${ROOT}/server/app.ts`),
  pipelineTick: f('tick', `${ROOT}/server/pipeline.ts`),
  publish: f('publish', `${ROOT}/server/realtime/hub.ts`),
  offer: f('offer', `${ROOT}/server/store/readings/writer.ts`),
  pump: f('pump', `${ROOT}/server/store/readings/writer.ts`),
  alarmJournal: f('write', `${ROOT}/server/store/alarmStore.ts`),
  streamRead: f('onStreamRead', 'node:internal/stream_base_commons'),
  listOnTimeout: f('listOnTimeout', 'node:internal/timers'),
  write: f('writeBatch', `${ROOT}/server/store/readings/sqliteEngine.ts`),
  thread: f('onMessage', `${ROOT}/server/store/readings/sqliteWriterThread.ts`),
};

/** A profile from stacks (root first) sampled in order, each `dt` µs after the one before. */
function profile(stacks: CallFrame[][], dt = 1000): CpuProfile {
  const nodes: { id: number; callFrame: CallFrame; children: number[] }[] = [{ id: 1, callFrame: frames.root, children: [] }];
  const samples: number[] = [];
  for (const stack of stacks) {
    let at = nodes[0]!;
    for (const frame of stack) {
      let next = at.children.map((id) => nodes[id - 1]!).find((n) => n.callFrame === frame);
      if (!next) {
        next = { id: nodes.length + 1, callFrame: frame, children: [] };
        nodes.push(next);
        at.children.push(next.id);
      }
      at = next;
    }
    samples.push(at.id);
  }
  return { nodes, startTime: 0, endTime: stacks.length * dt, samples, timeDeltas: samples.map(() => dt) };
}

describe('serverStage', () => {
  it('gives a message’s path its own stages, under the MQTT client that called it', () => {
    const msg = [frames.onData, frames.receive, frames.handle];
    expect(serverStage([frames.root, ...msg])).toBe('message');
    expect(serverStage([frames.root, ...msg, frames.quick])).toBe('validate');
    expect(serverStage([frames.root, ...msg, frames.table])).toBe('message');
    expect(serverStage([frames.root, frames.onData, frames.parser])).toBe('mqtt');
    expect(serverStage([frames.root, frames.streamRead])).toBe('mqtt');
  });

  it('splits the tick into the domains, the frames out and the hand-off to the store (also when the writer pumps after it)', () => {
    const tick = [frames.root, frames.listOnTimeout, frames.tick];
    expect(serverStage([...tick, frames.pipelineTick])).toBe('tick');
    expect(serverStage([...tick, frames.pipelineTick, frames.alarmJournal])).toBe('tick');
    expect(serverStage([...tick, frames.publish])).toBe('frames');
    expect(serverStage([...tick, frames.pipelineTick, frames.offer])).toBe('handoff');
    expect(serverStage([frames.root, frames.pump])).toBe('handoff');
    expect(serverStage([frames.root, frames.gc])).toBe('gc');
    expect(serverStage([frames.root, frames.listOnTimeout])).toBe('other');
  });
});

describe('writerStage', () => {
  it('tells the raw inserts, the rollups, the commit and the checks apart by the frame that ran', () => {
    const tx = [frames.root, frames.thread, f('append', frames.write.url), f('sqliteTransaction', `${ROOT}/node_modules/better-sqlite3/lib/methods/transaction.js`)];
    const batch = [...tx, f('', frames.write.url), frames.write];
    expect(writerStage(batch)).toBe('raw');
    expect(writerStage([...batch, f('', frames.write.url)])).toBe('rollups');
    expect(writerStage([...batch, f('add', `${ROOT}/server/store/readings/rollup.ts`)])).toBe('rollups');
    expect(writerStage([...batch, f('sensorOf', frames.write.url)])).toBe('checks');
    expect(writerStage(tx)).toBe('commit');
    expect(writerStage([frames.root, frames.gc])).toBe('gc');
    expect(writerStage([frames.root, f('receiveMessageOnPort', 'node:internal/worker/io')])).toBe('other');
  });
});

describe('stageTimes', () => {
  it('counts the busy samples from the first to the last that did the work, each for the time to the next', () => {
    const msg = [frames.onData, frames.receive, frames.handle, frames.jsonParse];
    const p = profile([
      // Start-up work before the load: outside the window.
      [frames.tick, frames.pipelineTick],
      [frames.idle],
      msg,
      [frames.idle],
      [frames.tick, frames.publish],
      [frames.gc],
      msg,
      // After the last message: outside.
      [frames.tick, frames.pipelineTick],
    ]);
    const s = stageTimes(p, serverStage, handlesMessages);
    // Samples 3 to 7, 5 ms; the idle one is not busy.
    expect(s.windowUs).toBe(5000);
    expect(s.busyUs).toBe(4000);
    expect(s.stages).toEqual({ message: 2000, frames: 1000, gc: 1000 });
  });

  it('is empty when no sample did the work', () => {
    expect(stageTimes(profile([[frames.idle], [frames.tick]]), serverStage, handlesMessages)).toEqual({ windowUs: 0, busyUs: 0, stages: {} });
  });
});

describe('threadOf', () => {
  it('tells the server’s main thread, its store’s writer thread and the rest apart', () => {
    expect(threadOf(profile([[frames.tick, frames.pipelineTick]]))).toBe('main');
    expect(threadOf(profile([[frames.thread, frames.write]]))).toBe('writer');
    expect(threadOf(profile([[f('load', 'file:///work/main/node_modules/tsx/dist/esm/index.mjs')]]))).toBe('other');
    expect(writesReadings([frames.thread, frames.write])).toBe(true);
  });
});

describe('timeJsonParse', () => {
  it('is the time a payload takes to parse, and grows with the payload', () => {
    const small = Array.from({ length: 2000 }, (_, k) => Buffer.from(JSON.stringify({ ts: k, v: 1 })));
    const big = Array.from({ length: 2000 }, (_, k) => Buffer.from(JSON.stringify({ ts: k, values: Array.from({ length: 200 }, (_, j) => j * 1.5) })));
    const a = timeJsonParse(small);
    const b = timeJsonParse(big);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
  });
});
