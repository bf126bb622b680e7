/** The configuration `npm run cluster` writes for Mosquitto, nginx and Redis: plain text from a few numbers. */

export interface MosquittoConfig {
  port: number;
  passwordFile: string;
  aclFile: string;
}

/**
 * What a broker needs for the instances' shared ingest sessions (server/ingest/mqttSource.ts), each line
 * measured on Debian's Mosquitto 2.0.11 (test/integration/sharedIngest.test.ts):
 * - the default of 20 unacknowledged messages per client stalls an instance whose acknowledgements wait for
 *   its store (about a tick): 0 lifts it, leaving the client's MQTT 5 receive maximum (65,535);
 * - the default queue of 1,000 messages drops QoS 1 messages for an instance busy for a moment, or dead and
 *   not yet adopted: a burst must wait instead;
 * - QoS 0 messages dealt to a dead instance's session are queued for whoever adopts it, not dropped.
 */
export const SHARED_INGEST_BROKER_SETTINGS = ['max_inflight_messages 0', 'max_queued_messages 100000', 'queue_qos0_messages true'] as const;

export function mosquittoConf(c: MosquittoConfig): string {
  return [
    '# Written by `npm run cluster` at each start.',
    `listener ${c.port} 127.0.0.1`,
    'allow_anonymous false',
    `password_file ${c.passwordFile}`,
    `acl_file ${c.aclFile}`,
    // In memory: the instances' sessions outlive their connections, not the broker (a real deployment keeps
    // them on disk, or in an EMQX cluster).
    'persistence false',
    ...SHARED_INGEST_BROKER_SETTINGS,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n');
}

export interface NginxConfig {
  port: number;
  /** The IOC instances' ports on 127.0.0.1. */
  upstreams: readonly number[];
  /** nginx's prefix (-p): its pid, logs and temp files stay in it. */
  prefix: string;
  /** Workers' `user` when the master runs as root; absent: nginx's own user (it runs unprivileged). */
  user?: string;
}

export function nginxConf(c: NginxConfig): string {
  const p = (f: string) => `${c.prefix}/${f}`;
  // Every location repeats these: a location with any proxy_set_header of its own inherits none from above.
  const forwarded = ['proxy_set_header Host $http_host;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', 'proxy_set_header X-Forwarded-Proto $scheme;'];
  return [
    '# Written by `npm run cluster` at each start: the load balancer in front of the IOC instances.',
    ...(c.user ? [`user ${c.user};`] : []),
    'worker_processes 1;',
    `pid ${p('nginx.pid')};`,
    `error_log ${p('error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    `  access_log ${p('access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${p(`tmp/${t}`)};`),
    '  map $http_upgrade $connection_upgrade { default upgrade; \'\' \'\'; }',
    '  upstream ioc {',
    // No ip_hash and no sticky cookie: a WebSocket-only socket is one connection to one instance (no polling
    // requests to keep together), and sessions are in PostgreSQL, so any instance serves any request.
    // A failed instance is left out for fail_timeout, then tried again.
    ...c.upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`),
    '    keepalive 16;',
    '  }',
    '  server {',
    `    listen 127.0.0.1:${c.port};`,
    '    proxy_http_version 1.1;',
    // A refused or silent instance is skipped for the next one (a POST that reached an instance is not sent again).
    '    proxy_next_upstream error timeout;',
    '    proxy_connect_timeout 2s;',
    '    location /socket.io/ {',
    '      proxy_pass http://ioc;',
    ...forwarded.map((l) => `      ${l}`),
    '      proxy_set_header Upgrade $http_upgrade;',
    '      proxy_set_header Connection $connection_upgrade;',
    // Socket.IO pings every 25 s; an open socket is not idle to nginx before that.
    '      proxy_read_timeout 120s;',
    '    }',
    '    location / {',
    '      proxy_pass http://ioc;',
    ...forwarded.map((l) => `      ${l}`),
    // Keep-alive to the instances (`keepalive` above) needs the client's Connection header dropped.
    '      proxy_set_header Connection "";',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

export function redisArgs(port: number, dir: string): string[] {
  // Nothing saved: the streams adapter's packets and the bus are worth a few minutes, not a restart.
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
}
