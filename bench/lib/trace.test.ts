import { describe, expect, it } from 'vitest';
import { threadBusy } from './trace';

describe('threadBusy', () => {
  it("sums each thread's top-level tasks per second of the trace's span, a pool's workers together, nested tasks once", () => {
    const trace = {
      traceEvents: [
        { ph: 'M', name: 'thread_name', pid: 1, tid: 10, args: { name: 'CrRendererMain' } },
        { ph: 'M', name: 'thread_name', pid: 2, tid: 20, args: { name: 'CrGpuMain' } },
        { ph: 'M', name: 'thread_name', pid: 1, tid: 31, args: { name: 'CompositorTileWorker1' } },
        { ph: 'M', name: 'thread_name', pid: 1, tid: 32, args: { name: 'CompositorTileWorker2' } },
        { ph: 'X', name: 'ThreadControllerImpl::RunTask', pid: 1, tid: 10, ts: 0, dur: 4_000 },
        // A nested run loop's task inside the one above: not counted again.
        { ph: 'X', name: 'ThreadControllerImpl::RunTask', pid: 1, tid: 10, ts: 1_000, dur: 1_000 },
        { ph: 'X', name: 'ThreadControllerImpl::RunTask', pid: 2, tid: 20, ts: 1_000_000, dur: 10_000 },
        { ph: 'X', name: 'ThreadPool_RunTask', pid: 1, tid: 31, ts: 0, dur: 1_000 },
        { ph: 'X', name: 'ThreadPool_RunTask', pid: 1, tid: 32, ts: 1_997_000, dur: 3_000 },
        // Other work inside a task, and instant events, are not tasks.
        { ph: 'X', name: 'FunctionCall', pid: 1, tid: 10, ts: 100, dur: 2_000 },
        { ph: 'I', name: 'ThreadControllerImpl::RunTask', pid: 1, tid: 10, ts: 0 },
      ],
    };
    // The span: 0 to 2,000,000 µs = 2 s.
    expect(threadBusy(Buffer.from(JSON.stringify(trace)))).toEqual({ CrRendererMain: 2, CrGpuMain: 5, CompositorTileWorker: 2 });
  });

  it('is empty for a trace without tasks', () => {
    expect(threadBusy(Buffer.from(JSON.stringify({ traceEvents: [] })))).toEqual({});
  });
});
