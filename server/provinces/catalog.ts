/** The provinces this server can run: every folder of shared/provinces/ with a province.json (shared/provinces.ts). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readProvinceCatalog, type CatalogIo, type ProvinceCatalog, type ProvinceSlug } from '../../shared/provinces';

export const PROVINCES_DIR = fileURLToPath(new URL('../../shared/provinces/', import.meta.url));

const nodeCatalogIo: CatalogIo = {
  folders: (dir) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name),
  read: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
};

export const PROVINCES: ProvinceCatalog = readProvinceCatalog(PROVINCES_DIR, nodeCatalogIo);

export function isProvinceSlug(s: string): s is ProvinceSlug {
  return Object.hasOwn(PROVINCES, s);
}
