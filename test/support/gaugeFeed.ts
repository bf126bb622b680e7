/**
 * River gauges reporting all along a cluster test (an outage, a kill), and the check that the store has every
 * one of their readings afterwards: test/integration/cluster.test.ts and clusterOutage.test.ts.
 */
import type { MqttClient } from 'mqtt';
import { expect } from 'vitest';
import { topicFor } from '../../shared/mqtt';
import type { Device } from '../../shared/devices';
import { waitFor } from './harness';
import type { TestSession } from './session';

export interface GaugeFeed {
  /** Each gauge's published timestamps, in order. */
  published: Map<string, number[]>;
  /** Stops publishing; resolves once the last round is acknowledged by the broker. */
  stop(): Promise<void>;
}

/** Each gauge, every `everyMs`, at QoS 1 and below every alarm level (BĐ I − 1 m), with strictly rising ts. */
export function feedGauges(mqtt: MqttClient, gauges: readonly Device[], everyMs: number): GaugeFeed {
  const published = new Map<string, number[]>(gauges.map((g) => [g.id, []]));
  let publishing = true;
  const done = (async () => {
    let ts = Date.now();
    while (publishing) {
      ts = Math.max(ts + 1, Date.now());
      const at = ts;
      await Promise.all(
        gauges.map(async (g) => {
          await mqtt.publishAsync(topicFor('hydro', g.id, 'telemetry'), JSON.stringify({ ts: at, waterLevel: (g.props!.bd1 as number) - 1 }), { qos: 1 });
          published.get(g.id)!.push(at);
        }),
      );
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    published,
    stop: async () => {
      publishing = false;
      await done;
    },
  };
}

/** Asks `url` for each gauge's raw readings over what was published: exactly those, once. Returns how many. */
export async function expectEveryReadingStored(session: TestSession, url: string, published: Map<string, number[]>): Promise<number> {
  let total = 0;
  for (const [id, sent] of published) {
    total += sent.length;
    const stored = async () => {
      const res = await session.fetch(`${url}/api/devices/${id}/readings?from=${sent[0]}&to=${sent.at(-1)! + 1}&bucket=raw`);
      return ((await res.json()) as { points: { ts: number }[] }).points.map((p) => p.ts);
    };
    // The last tick's readings may still be on their way to the writer.
    await waitFor(`every reading of ${id} stored`, async () => (await stored()).length >= sent.length, 10_000).catch(() => undefined);
    expect(await stored()).toEqual(sent);
  }
  return total;
}
