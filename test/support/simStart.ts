/**
 * The simulated moment every test fleet starts at. The fleet's models follow the hour and the season of
 * simulated time, so a fleet started on the wall clock shows a different province at 03:00 than at 23:30
 * (in the flood season, rivers above BĐ I and wastewater spills fill the alarm panel): tests pin it.
 *
 * `IOC_TEST_SIM_START` (ISO-8601 with offset) moves it; `.ci/run` runs the alarm and wall browser tests a
 * second time at another hour to prove the suite does not depend on it. Both defaults are dry-season hours
 * with a calm province (no open alarm after the fleet has connected and backfilled).
 */
export const DEFAULT_TEST_SIM_START = '2026-03-11T03:00:00+07:00';

export function testSimStart(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IOC_TEST_SIM_START?.trim() || DEFAULT_TEST_SIM_START;
  const t = Date.parse(raw);
  if (!Number.isFinite(t) || !/[zZ]|[+-]\d\d:\d\d$/.test(raw)) {
    throw new Error(`IOC_TEST_SIM_START must be an ISO-8601 time with an offset, e.g. ${DEFAULT_TEST_SIM_START}; got "${raw}"`);
  }
  return t;
}
