import { Room, RoomEvent } from '@livekit/rtc-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DtmfCollector, listenForDtmf, type DtmfEvent } from './dtmf-collector.js';

const PAUSE_MS = 3000;

describe('DtmfCollector', () => {
  let events: DtmfEvent[];
  let collector: DtmfCollector;

  beforeEach(() => {
    vi.useFakeTimers();
    events = [];
    collector = new DtmfCollector({
      interDigitTimeoutMs: PAUSE_MS,
      onEvent: (event) => events.push(event),
    });
  });
  afterEach(() => {
    collector.close();
    vi.useRealTimers();
  });

  const press = (keys: string) => [...keys].forEach((key) => collector.press(key));

  it('asks for a person the moment "0" is pressed', () => {
    press('0');
    expect(events).toEqual([{ type: 'transfer_requested' }]);
  });

  it('ends other key sequences after the inter-digit pause or at "#"', () => {
    press('12');
    vi.advanceTimersByTime(PAUSE_MS - 1);
    expect(events).toEqual([]);
    press('3');
    vi.advanceTimersByTime(PAUSE_MS - 1);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual([{ type: 'keys', digits: '123' }]);

    press('9*#');
    expect(events.at(-1)).toEqual({ type: 'keys', digits: '9*' });
  });

  it('collects the six serial digits, zeros included, during VIN entry', () => {
    collector.beginSerialEntry();
    press('10');
    vi.advanceTimersByTime(PAUSE_MS - 1);
    press('2050');
    expect(events).toEqual([{ type: 'serial_entered', digits: '102050' }]);
    expect(collector.collectingSerial).toBe(true);
  });

  it('reports an incomplete serial after a pause, restarts on "*", and submits early on "#"', () => {
    collector.beginSerialEntry();
    press('123');
    vi.advanceTimersByTime(PAUSE_MS);
    expect(events).toEqual([{ type: 'serial_incomplete', digits: '123' }]);

    press('99*456');
    press('7#');
    expect(events.at(-1)).toEqual({ type: 'serial_incomplete', digits: '4567' });
  });

  it('still hears a lone "0" followed by a pause as a request for a person during VIN entry', () => {
    collector.beginSerialEntry();
    press('0');
    expect(events).toEqual([]);
    vi.advanceTimersByTime(PAUSE_MS);
    expect(events).toEqual([{ type: 'transfer_requested' }]);
  });

  it('goes back to normal keys when the entry ends, and ignores junk', () => {
    collector.beginSerialEntry();
    press('12');
    collector.endSerialEntry();
    vi.advanceTimersByTime(PAUSE_MS);
    expect(events).toEqual([]);
    collector.press('x');
    collector.press('10');
    press('0');
    expect(events).toEqual([{ type: 'transfer_requested' }]);
  });

  it('emits nothing after close', () => {
    press('5');
    collector.close();
    vi.advanceTimersByTime(PAUSE_MS * 2);
    expect(events).toEqual([]);
  });
});

describe('listenForDtmf', () => {
  it("feeds the caller's key presses from the room and ignores everyone else's", () => {
    const room = new Room();
    const events: DtmfEvent[] = [];
    const collector = new DtmfCollector({
      interDigitTimeoutMs: PAUSE_MS,
      onEvent: (e) => events.push(e),
    });
    const caller = { identity: 'sip_+15555550100' };

    const detach = listenForDtmf(room, collector, caller.identity);
    room.emit(RoomEvent.DtmfReceived, 0, '0', { identity: 'someone-else' } as never);
    expect(events).toEqual([]);
    room.emit(RoomEvent.DtmfReceived, 0, '0', caller as never);
    expect(events).toEqual([{ type: 'transfer_requested' }]);

    detach();
    room.emit(RoomEvent.DtmfReceived, 0, '0', caller as never);
    expect(events).toHaveLength(1);
    collector.close();
  });
});
