/**
 * What the map says of a load that failed. MapLibre prints an error that nobody listens for with
 * `console.error(error)`; an error from its worker arrives rebuilt from its fields, which the console shows as
 * the minified class name alone ("console: Xr" in the browser tests, twice in CI). Here: nothing for a load
 * the server refused because the session ended (401, 403: a revoked display or an expired login, whose page is
 * already leaving), and a sentence with the status and the address for anything else.
 */
export function mapErrorText(error: unknown): string | null {
  const e = (error ?? {}) as { status?: unknown; message?: unknown; url?: unknown };
  if (e.status === 401 || e.status === 403) return null;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  const url = typeof e.url === 'string' && !message.includes(e.url) ? ` (${e.url})` : '';
  return `map: ${message}${url}`;
}
