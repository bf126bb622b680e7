import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config';

const cluster = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://ioc@127.0.0.1:5432/ioc', MQTT_URL: 'mqtt://127.0.0.1:1883', SIMULATE: '0' };

describe('configFromEnv for a cluster', () => {
  it('joins instances by Redis with a shared subscription group by default, and a name per instance', () => {
    const { app } = configFromEnv({ ...cluster, INSTANCE_ID: 'ioc-a' });
    expect(app).toMatchObject({ redisUrl: cluster.REDIS_URL, instance: 'ioc-a', mqtt: { url: cluster.MQTT_URL, shareGroup: 'ioc' } });
    expect(configFromEnv({ MQTT_URL: cluster.MQTT_URL }).app.mqtt.shareGroup).toBeUndefined();
  });

  it('refuses what cannot work: Redis without one PostgreSQL and one broker, a shared client id, a group without a broker', () => {
    expect(() => configFromEnv({ REDIS_URL: cluster.REDIS_URL, MQTT_URL: cluster.MQTT_URL })).toThrow(/REDIS_URL: .*DATABASE_URL/);
    expect(() => configFromEnv({ REDIS_URL: cluster.REDIS_URL, DATABASE_URL: cluster.DATABASE_URL })).toThrow(/MQTT_URL/);
    expect(() => configFromEnv({ ...cluster, MQTT_CLIENT_ID: 'ioc' })).toThrow(/MQTT_CLIENT_ID: not with REDIS_URL/);
    expect(() => configFromEnv({ MQTT_SHARE_GROUP: 'ioc' })).toThrow(/MQTT_SHARE_GROUP: only with MQTT_URL/);
    expect(() => configFromEnv({ ...cluster, INSTANCE_ID: 'a b' })).toThrow(/INSTANCE_ID/);
  });
});
