/**
 * A secret that differs from `secret` in its last character only (a near miss, the case a timing-safe compare
 * must still refuse). Replacing the last character with a fixed letter would, one time in 64, give back the very
 * same secret and fail the test at random.
 */
export function nearMiss(secret: string): string {
  const last = secret.at(-1);
  return `${secret.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
}
