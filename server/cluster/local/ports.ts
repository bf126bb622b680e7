/** Loopback port helpers for whatever starts real servers: `npm run cluster`, tests and the bench (Mosquitto, PostgreSQL). */
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 right now, for a server another process binds soon after (PostgreSQL, Mosquitto,
 * Redis, nginx). Taken below the kernel's ephemeral range, where the OS never hands out ports on its own: a
 * port from that range (listen(0)) can be given to any outgoing connection in the seconds before the server
 * binds it, and with thousands of simulated devices connecting in parallel tests one was (nginx: "Address
 * already in use"). Falls back to the OS's pick when the range is unknown or nothing below it is free.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  if (low !== null && low > FIXED_FLOOR + 1000) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = FIXED_FLOOR + Math.floor(Math.random() * (low - FIXED_FLOOR));
      if (await bindable(port)) return port;
    }
  }
  return osPort();
}

/** Ports below this are left to services a machine runs (PostgreSQL's 5432, Redis's 6379, …). */
const FIXED_FLOOR = 20_000;

function ephemeralLow(): number | null {
  try {
    const [lo] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(lo) ? lo! : null;
  } catch {
    return null;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}
