/**
 * Stands in for server/provinces/load.ts when server/app.ts imports it inside the frame-rate
 * server (bench/wallServer.ts redirects that one import): everything is the real module's, except
 * that loadProvince lets the bench swap in a registry of N devices. createApp takes no registry,
 * and this keeps createApp the one place where the server is wired.
 */
import * as real from '../../server/provinces/load';

export * from '../../server/provinces/load';

type Transform = (p: real.ProvinceData) => real.ProvinceData;

export function loadProvince(slug: Parameters<typeof real.loadProvince>[0]): real.ProvinceData {
  const p = real.loadProvince(slug);
  const transform = (globalThis as { __benchProvince?: Transform }).__benchProvince;
  return transform ? transform(p) : p;
}
