/**
 * The wall's message-rate chart survives a restart (issue 13: "every chart still shows those 10 minutes"): the
 * rate meter's ten minutes of one-second samples are written to a small JSON file in DATA_DIR every few
 * seconds (a temp file renamed over the old one, so a crash mid-write leaves the previous copy) and read
 * back at start. A missing, unreadable or foreign file is no history, never a failed start.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { RateSample } from '../../shared/events';
import type { RateMeter } from './rateMeter';

export interface RateFileContent {
  version: 1;
  samples: RateSample[];
}

export async function loadRateFile(file: string): Promise<RateSample[]> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<RateFileContent>;
    if (parsed.version !== 1 || !Array.isArray(parsed.samples)) return [];
    return parsed.samples.filter((s): s is RateSample => Array.isArray(s) && s.length === 2 && typeof s[0] === 'number' && typeof s[1] === 'number');
  } catch {
    return [];
  }
}

export async function saveRateFile(file: string, samples: readonly RateSample[]): Promise<void> {
  const tmp = `${file}.tmp`;
  const content: RateFileContent = { version: 1, samples: [...samples] };
  await writeFile(tmp, JSON.stringify(content));
  await rename(tmp, file);
}

/** Saved this often. */
export const RATE_SAVE_MS = 5_000;

/**
 * Puts the saved seconds back into `rate` (before anything is counted), then saves its history every few
 * seconds (never two writes at once) and once more at close.
 */
export async function persistRate(rate: RateMeter, file: string, now: () => number, log: Pick<Logger, 'info' | 'warn'>): Promise<{ close(): Promise<void> }> {
  const restored = rate.restore(await loadRateFile(file), now());
  if (restored > 0) log.info({ seconds: restored }, 'message-rate history restored');
  let saving: Promise<void> | null = null;
  const save = () => {
    saving ??= saveRateFile(file, rate.history())
      .catch((err: unknown) => log.warn({ err }, 'message-rate history not saved'))
      .finally(() => {
        saving = null;
      });
    return saving;
  };
  const saver = setInterval(() => void save(), RATE_SAVE_MS);
  saver.unref();
  return {
    close: async () => {
      clearInterval(saver);
      await saving;
      await save();
    },
  };
}
