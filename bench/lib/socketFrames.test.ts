import { describe, expect, it } from 'vitest';
import { deltaAlarmBytes } from './socketFrames';

// Frames as the Socket.IO protocol (v5) writes them over Engine.IO's WebSocket transport ('4' = message).
describe('deltaAlarmBytes', () => {
  const alarms = { changes: [{ id: 7, rev: 12, count: 37 }], totals: { open: 3 } };
  const bytes = Buffer.byteLength(JSON.stringify(alarms));

  it('measures the alarm part of a delta event, plain or with binary attachments', () => {
    expect(deltaAlarmBytes(`42["view:delta",${JSON.stringify({ seq: 4, alarms })}]`)).toBe(bytes);
    expect(deltaAlarmBytes(`451-["view:delta",${JSON.stringify({ seq: 4, alarms, packed: { _placeholder: true, num: 0 } })}]`)).toBe(bytes);
    // A namespace and an ack id.
    expect(deltaAlarmBytes(`42/wall,17["view:delta",${JSON.stringify({ alarms })}]`)).toBe(bytes);
  });

  it('counts a delta without alarm changes as 0, and ignores other frames', () => {
    expect(deltaAlarmBytes('42["view:delta",{"seq":5}]')).toBe(0);
    expect(deltaAlarmBytes('42["view:snapshot",{"alarms":{"open":[]}}]')).toBeNull();
    expect(deltaAlarmBytes('40{"sid":"abc"}')).toBeNull();
    expect(deltaAlarmBytes('3')).toBeNull();
  });
});
