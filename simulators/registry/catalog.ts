/** The provinces the simulators know: every folder of shared/provinces/ with a province.json (shared/provinces.ts). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readProvinceCatalog, type CatalogIo, type ProvinceCatalog, type ProvinceSlug } from '../../shared/provinces';
import { PROVINCES_DIR } from './geo';

const nodeCatalogIo: CatalogIo = {
  folders: (dir) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name),
  read: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
};

export const PROVINCES: ProvinceCatalog = readProvinceCatalog(PROVINCES_DIR, nodeCatalogIo);

export function isProvinceSlug(s: string): s is ProvinceSlug {
  return Object.hasOwn(PROVINCES, s);
}
