import { type Room, RoomEvent } from '@livekit/rtc-node';
import { systemTimers, Timeout, type Timers } from './timers.js';

/** What the caller meant with the keys they pressed. */
export type DtmfEvent =
  /** "0" for a person: the agent starts the transfer flow. */
  | { type: 'transfer_requested' }
  /** Six digits keyed in while the agent asked for the end of the VIN. */
  | { type: 'serial_entered'; digits: string }
  /** Fewer than six digits, then a pause or "#": the agent asks again. */
  | { type: 'serial_incomplete'; digits: string }
  /** Any other key sequence, ended by a pause or "#" (the agent may mention it or ignore it). */
  | { type: 'keys'; digits: string };

export interface DtmfCollectorOptions {
  /** A pause this long ends a key sequence. */
  interDigitTimeoutMs: number;
  onEvent(event: DtmfEvent): void;
  timers?: Timers;
}

/** Digits of a VIN serial the caller may key in (positions 12-17). */
export const SERIAL_LENGTH = 6;

const KEYS = /^[0-9*#A-D]$/;

/**
 * Turns key presses (`RoomEvent.DtmfReceived`) into caller intents, with an inter-digit timeout.
 *
 * Normally "0" asks for a person at once. While the agent collects the VIN's last six digits
 * (`beginSerialEntry`), "0" is a digit like any other: a lone "0" followed by a pause still asks
 * for a person, "*" starts the entry over and "#" submits early.
 */
export class DtmfCollector {
  #buffer = '';
  #serialEntry = false;
  readonly #pause: Timeout;

  constructor(private readonly options: DtmfCollectorOptions) {
    this.#pause = new Timeout(options.timers ?? systemTimers);
  }

  get collectingSerial(): boolean {
    return this.#serialEntry;
  }

  /** The agent asked for the VIN's last six digits on the keypad. */
  beginSerialEntry(): void {
    this.#reset();
    this.#serialEntry = true;
  }

  /** The VIN is known (or the agent gave up): keys mean the usual things again. */
  endSerialEntry(): void {
    this.#reset();
    this.#serialEntry = false;
  }

  /** One key press; other characters (a malformed packet) are ignored. */
  press(key: string): void {
    if (!KEYS.test(key)) return;
    if (this.#serialEntry) this.#pressDuringSerialEntry(key);
    else this.#pressNormally(key);
  }

  /** Stops the timer; nothing is emitted afterwards. */
  close(): void {
    this.#reset();
  }

  #pressNormally(key: string): void {
    if (key === '0') {
      this.#reset();
      this.options.onEvent({ type: 'transfer_requested' });
      return;
    }
    if (key === '#') return this.#flush();
    this.#buffer += key;
    this.#pause.arm(this.options.interDigitTimeoutMs, () => this.#flush());
  }

  #pressDuringSerialEntry(key: string): void {
    if (key === '*') return this.#reset();
    if (key === '#') return this.#flush();
    if (!/\d/.test(key)) return;
    this.#buffer += key;
    if (this.#buffer.length === SERIAL_LENGTH) {
      const digits = this.#buffer;
      this.#reset();
      this.options.onEvent({ type: 'serial_entered', digits });
      return;
    }
    this.#pause.arm(this.options.interDigitTimeoutMs, () => this.#flush());
  }

  #flush(): void {
    const digits = this.#buffer;
    this.#reset();
    if (digits === '') return;
    if (!this.#serialEntry) return this.options.onEvent({ type: 'keys', digits });
    if (digits === '0') return this.options.onEvent({ type: 'transfer_requested' });
    this.options.onEvent({ type: 'serial_incomplete', digits });
  }

  #reset(): void {
    this.#buffer = '';
    this.#pause.cancel();
  }
}

/**
 * Feeds the caller's key presses from the room into the collector (LiveKit SIP turns RFC 2833
 * tones into DTMF data packets). Keys from anyone else in the room are ignored. Returns a detach.
 */
export function listenForDtmf(
  room: Pick<Room, 'on' | 'off'>,
  collector: DtmfCollector,
  callerIdentity: string,
): () => void {
  const onDtmf = (_code: number, digit: string, participant: { identity: string }) => {
    if (participant.identity === callerIdentity) collector.press(digit);
  };
  room.on(RoomEvent.DtmfReceived, onDtmf);
  return () => void room.off(RoomEvent.DtmfReceived, onDtmf);
}
