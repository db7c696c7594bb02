import { WebhookEvent } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { LiveKitEvents } from './livekit-events.js';

const eventNamed = (name: string) => WebhookEvent.fromJson({ event: name, id: `EV_${name}` });

describe('LiveKitEvents', () => {
  it('runs the listeners of the event, in order, and only those', async () => {
    const events = new LiveKitEvents();
    const seen: string[] = [];
    const second = async () => void seen.push('second');
    events.on('egress_ended', () => void seen.push('first'));
    events.on('egress_ended', second);
    events.on('room_finished', () => void seen.push('room'));

    await events.emit(eventNamed('egress_ended'));
    events.off('egress_ended', second);
    await events.emit(eventNamed('egress_ended'));

    expect(seen).toEqual(['first', 'second', 'first']);
  });

  it('runs every listener even when some fail, then reports all failures', async () => {
    const events = new LiveKitEvents();
    let ran = 0;
    events.on('room_finished', () => {
      throw new Error('one');
    });
    events.on('room_finished', () => void ran++);
    events.on('room_finished', async () => {
      throw new Error('two');
    });

    const error = await events.emit(eventNamed('room_finished')).catch((e: unknown) => e);

    expect(ran).toBe(1);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['one', 'two']);
  });
});
