/**
 * Who may connect to the embedded broker and what they may do (DESIGN.md "Security model"): a device
 * connects with its id as username and its secret as password, publishes only to its own topics
 * (`ioc/v1/<type>/<its id>/…`) and subscribes to nothing. The gateway (the server's own simulator fleet,
 * a recorder, the tests) has a secret generated at each start: it may publish for any device (the ingest
 * validates every message as usual) and subscribe to the contract's topics. Every refusal is counted by
 * reason through `onRefused`.
 */
import { timingSafeEqual } from 'node:crypto';
import { TOPIC_ROOT, isOwnTopic, type BrokerRefusal } from '../../shared/mqtt';
import type { CredentialCheck } from '../security/deviceCredentials';

/** The gateway's MQTT username: not a possible device id (those are [A-Za-z0-9_-]), so it never shadows one. */
export const GATEWAY_USERNAME = '@gateway';

export type BrokerPrincipal = { kind: 'gateway' } | { kind: 'device'; id: string };

export interface MqttCredentials {
  username: string;
  password: string;
}

export interface BrokerGuardParts {
  /** Checks a device's secret (DeviceCredentials.verify). */
  verify(deviceId: string, secret: Buffer): Promise<CredentialCheck>;
  /** HMAC of a secret under the server key; the gateway's secret is compared through it, like a device's. */
  hmac(secret: string | Buffer): Buffer;
  /** The gateway's secret of this start. */
  gatewaySecret: string;
  onRefused(reason: BrokerRefusal): void;
}

const CONTRACT_PREFIX = `${TOPIC_ROOT}/`;

export class BrokerGuard {
  private readonly gatewayHmac: Buffer;

  constructor(private readonly parts: BrokerGuardParts) {
    this.gatewayHmac = parts.hmac(parts.gatewaySecret);
  }

  /** The principal of a CONNECT, or the reason it is refused (already counted). */
  async authenticate(username: string | undefined, password: Buffer | undefined): Promise<BrokerPrincipal | { refused: BrokerRefusal }> {
    if (!username || !password || password.length === 0) return this.refuse('noCredentials');
    if (username === GATEWAY_USERNAME) {
      return timingSafeEqual(this.parts.hmac(password), this.gatewayHmac) ? { kind: 'gateway' } : this.refuse('badSecret');
    }
    const check = await this.parts.verify(username, password);
    return check === 'ok' ? { kind: 'device', id: username } : this.refuse(check);
  }

  /** Whether the principal may publish on `topic`; a refusal is counted. */
  mayPublish(p: BrokerPrincipal, topic: string): boolean {
    const ok = p.kind === 'gateway' ? topic.startsWith(CONTRACT_PREFIX) : isOwnTopic(topic, p.id);
    if (!ok) this.refuse('foreignTopic');
    return ok;
  }

  /** Whether the principal may subscribe to `filter`; a refusal is counted. */
  maySubscribe(p: BrokerPrincipal, filter: string): boolean {
    const ok = p.kind === 'gateway' && (filter === TOPIC_ROOT || filter.startsWith(CONTRACT_PREFIX));
    if (!ok) this.refuse('subscribeDenied');
    return ok;
  }

  private refuse(reason: BrokerRefusal): { refused: BrokerRefusal } {
    this.parts.onRefused(reason);
    return { refused: reason };
  }
}
