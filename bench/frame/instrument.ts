/**
 * The frame-rate instrumentation, injected into the page before its own scripts (plain JS in a
 * string: a function handed to Playwright would carry the TypeScript loader's helpers with it).
 * See bench/frameBrowser.ts for what it measures.
 */
export const INSTRUMENT_JS = String.raw`(() => {
  const frames = new Map();
  const updates = [];
  let frameCount = 0, drawFrames = 0, drew = false, longTasks = 0, longTaskMs = 0;
  let since = performance.now();
  let lastBig = since;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => {
    const t0 = performance.now();
    try { cb(t); } finally {
      const d = performance.now() - t0;
      const f = frames.get(t);
      if (f) f.work += d; else if (frames.size < 100000) frames.set(t, { start: t0, work: d });
    }
  });
  const loop = () => { frameCount++; if (drew) drawFrames++; drew = false; raf(loop); };
  raf(loop);
  for (const proto of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
      const orig = proto[name];
      if (typeof orig !== 'function') continue;
      proto[name] = function (...args) { drew = true; return orig.apply(this, args); };
    }
  }
  // A delta with a binary attachment (the packed bulk devices) arrives as a text frame
  // ('451-["view:delta",…') and then the binary frame, whose handler emits the event: one update
  // costs both handlers.
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  let pending = null;
  // The wall's socket handlers' whole time per update (Socket.IO's decoding and the app's handler).
  let handlerMs = 0;
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return desc.get.call(this); },
    set(fn) {
      desc.set.call(this, fn && function (ev) {
        const t0 = performance.now();
        try { return fn.call(this, ev); } finally {
          const end = performance.now();
          if (typeof ev.data === 'string' && ev.data.startsWith('42["view:delta"')) {
            updates.push({ end, ms: end - t0 });
            handlerMs += end - t0;
            if (ev.data.length >= 20000) lastBig = end;
          } else if (typeof ev.data === 'string' && /^45\d+-\["view:delta"/.test(ev.data)) {
            pending = { ms: end - t0, chars: ev.data.length };
          } else if (typeof ev.data !== 'string' && pending) {
            updates.push({ end, ms: pending.ms + (end - t0) });
            handlerMs += pending.ms + (end - t0);
            const bytes = ev.data.byteLength ?? ev.data.size ?? 0;
            if (pending.chars >= 20000 || bytes >= 13000) lastBig = end;
            pending = null;
          }
        }
      });
    },
  });
  // Since the last update that carried devices (a wall delta of 20 kB or more, a packed attachment
  // of 1,000 devices or more, or a bare-page
  // update): deltas keep coming every tick when nothing changes, small.
  window.__benchSinceUpdate = () => performance.now() - lastBig;
  window.__benchUpdate = (ms) => { lastBig = performance.now(); updates.push({ end: lastBig, ms }); };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { longTasks++; longTaskMs += e.duration; }
  }).observe({ type: 'longtask', buffered: false });
  window.__benchReset = () => {
    frames.clear(); updates.length = 0; frameCount = 0; drawFrames = 0; longTasks = 0; longTaskMs = 0; handlerMs = 0;
    window.__iocPhases?.reset();
    since = performance.now();
  };
  window.__benchCollect = () => {
    const seconds = (performance.now() - since) / 1000;
    const list = [...frames.values()].sort((a, b) => a.start - b.start);
    const costs = updates.map((u) => {
      const next = list.find((f) => f.start >= u.end);
      return u.ms + (next ? next.work : 0);
    }).sort((a, b) => a - b);
    const at = (p) => costs.length === 0 ? NaN : costs[Math.max(0, Math.ceil((p / 100) * costs.length) - 1)];
    return {
      seconds, fps: frameCount / seconds, redrawsPerSec: drawFrames / seconds, updates: costs.length,
      updateP95Ms: at(95), updateMedianMs: at(50),
      longTasksPerSec: longTasks / seconds, longTaskMsPerSec: longTaskMs / seconds,
      // Where the time went (the app's client/perf/phases.ts; absent on the bare page), ms in all.
      phases: window.__iocPhases ? { handler: handlerMs, ...window.__iocPhases.read().ms } : null,
    };
  };
})();`;
