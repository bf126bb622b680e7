/**
 * Acknowledgements held until what they acknowledge is in the store (issue 16: "no accepted reading is lost").
 *
 * A QoS 1 message's PUBACK tells the broker it may forget the message. Sent on receipt (mqtt.js's default), a
 * killed instance takes with it what it had acknowledged but not yet written: up to a tick of its share, plus
 * the writer's queue. Held here instead, the broker keeps those messages in the instance's session and hands
 * them again to whoever resumes it (the instance restarted, or another instance adopting the session:
 * server/cluster/ingestSessions.ts). Duplicates are harmless: the store keeps one row per device, metric and ts.
 *
 * The order of events: a message arrives and the pipeline takes it (its readings wait in the tick's buffer);
 * its acknowledgement is held in the open group. At the tick the buffer goes to the writer, and the group is
 * sealed with the writer's position after it. When the writer has settled that position (written, or given up
 * and counted), the group's acknowledgements are sent. A message whose readings were refused or dropped is
 * acknowledged with its group: nothing more will come of waiting.
 *
 * Bounded: at most `cap` acknowledgements are held; beyond, one is sent at once and counted (`early`). MQTT's
 * packet ids bound a connection's unacknowledged messages to 65,535 anyway, and the broker's receive maximum
 * (or max_inflight_messages) to less.
 */

export interface HeldAcksStats {
  /** Acknowledgements waiting now. */
  held: number;
  /** Sent once their readings were settled by the writer. */
  released: number;
  /** Sent at once because `cap` were already held (their readings may be lost with the instance). */
  early: number;
  cap: number;
}

interface Group {
  /** The writer's position that must be settled; -1 while the group is open. */
  position: number;
  acks: (() => void)[];
}

export const HELD_ACKS_CAP = 200_000;

export class HeldAcks {
  private readonly groups: Group[] = [{ position: -1, acks: [] }];
  private settledAt = 0;
  private readonly s: HeldAcksStats;

  constructor(cap = HELD_ACKS_CAP) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError('held acks: cap must be a positive integer');
    this.s = { held: 0, released: 0, early: 0, cap };
  }

  /** Holds `send` until the readings taken so far are settled by the writer. */
  hold(send: () => void): void {
    if (this.s.held >= this.s.cap) {
      this.s.early++;
      send();
      return;
    }
    this.groups.at(-1)!.acks.push(send);
    this.s.held++;
  }

  /** The tick handed the buffered readings to the writer, which stands at `position` after them. */
  seal(position: number): void {
    const open = this.groups.at(-1)!;
    if (open.acks.length === 0) return;
    open.position = position;
    this.groups.push({ position: -1, acks: [] });
    this.settled(this.settledAt);
  }

  /** The writer has settled everything up to `position`: the sealed groups up to it are acknowledged. */
  settled(position: number): void {
    this.settledAt = Math.max(this.settledAt, position);
    while (this.groups.length > 1 && this.groups[0]!.position <= this.settledAt) this.send(this.groups.shift()!);
  }

  /** Everything held, sent now (closing after the writer flushed). */
  releaseAll(): void {
    for (const g of this.groups.splice(0)) this.send(g);
    this.groups.push({ position: -1, acks: [] });
  }

  stats(): Readonly<HeldAcksStats> {
    return { ...this.s };
  }

  private send(g: Group): void {
    this.s.held -= g.acks.length;
    this.s.released += g.acks.length;
    for (const send of g.acks) send();
  }
}
