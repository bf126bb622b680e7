import { describe, expect, it } from 'vitest';
import { mosquittoConf, nginxConf, redisArgs } from './configs';

describe('the generated configuration', () => {
  it('nginx balances over every instance without stickiness, skips a dead one, and upgrades the socket', () => {
    const conf = nginxConf({ port: 8080, upstreams: [4001, 4002], prefix: '/c/nginx' });
    expect(conf).toMatch(/upstream ioc \{\s+server 127\.0\.0\.1:4001 [^;]*;\s+server 127\.0\.0\.1:4002 [^;]*;/);
    expect(conf).not.toMatch(/ip_hash|hash |sticky/);
    expect(conf).toContain('listen 127.0.0.1:8080;');
    expect(conf).toContain('proxy_next_upstream error timeout;');
    expect(conf).toContain('proxy_http_version 1.1;');
    expect(conf).not.toMatch(/^user /m);
    const [, socketIo] = /location \/socket\.io\/ \{([^}]*)\}/.exec(conf)!;
    expect(socketIo).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(socketIo).toContain('proxy_set_header Connection $connection_upgrade;');
    // A location with a proxy_set_header of its own inherits none: each sets the forwarding headers.
    for (const [, body] of conf.matchAll(/location [^{]+\{([^}]*)\}/g)) {
      expect(body).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
      expect(body).toContain('proxy_set_header Host $http_host;');
    }
    // pid, logs and temp files inside the folder, so nginx runs unprivileged.
    for (const line of conf.split('\n').filter((l) => /(pid|_log|_temp_path) /.test(l))) expect(line).toContain('/c/nginx/');
    expect(nginxConf({ port: 8080, upstreams: [1], prefix: '/c', user: 'nobody nogroup' })).toMatch(/^user nobody nogroup;$/m);
  });

  it('Mosquitto listens on loopback with the device files and no anonymous client; Redis saves nothing', () => {
    const conf = mosquittoConf({ port: 1884, passwordFile: '/c/mq/password_file', aclFile: '/c/mq/acl_file' });
    expect(conf.split('\n')).toEqual(expect.arrayContaining(['listener 1884 127.0.0.1', 'allow_anonymous false', 'password_file /c/mq/password_file', 'acl_file /c/mq/acl_file']));
    // The instances hold their acknowledgements for a tick and a dead one's session waits to be adopted.
    expect(conf.split('\n')).toEqual(expect.arrayContaining(['max_inflight_messages 0', 'max_queued_messages 100000', 'queue_qos0_messages true']));
    expect(redisArgs(6380, '/c/redis')).toEqual(['--port', '6380', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/c/redis', '--daemonize', 'no']);
  });
});
