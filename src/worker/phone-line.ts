import type { Room } from '@livekit/rtc-node';
import { voice } from '@livekit/agents';
import { findVehiclesBySerialSuffix } from '../vehicle-lookup/vehicle-repository.js';
import { outcomeOnAgentHangUp } from './agents/tools/call-control-tools.js';
import { type CallData, errorText, runInBackground } from './call-data.js';
import type { RunningCall } from './call-session.js';
import { superviseCall, type SupervisedEnd } from './telephony/call-supervision.js';
import { watchCallerHangup } from './telephony/caller-hangup.js';
import { type DtmfEvent, DtmfCollector, listenForDtmf } from './telephony/dtmf-collector.js';
import type { Timers } from './telephony/timers.js';

export interface PhoneLineOptions {
  room: Pick<Room, 'on' | 'off'>;
  /** The caller's participant identity (their key presses and hang-up are watched). */
  callerIdentity: string;
  timers?: Timers;
}

function onSupervisedEnd(data: CallData, reason: SupervisedEnd): void {
  const outcome =
    reason === 'silence_timeout'
      ? (data.call.facts.outcome ?? 'hung_up')
      : outcomeOnAgentHangUp(data);
  data.call.transition('ended', reason, { outcome, endReason: reason });
}

/** What the agent does with the caller's key presses. */
function onKeys(running: RunningCall, collector: DtmfCollector, event: DtmfEvent): void {
  const { session, data } = running;
  switch (event.type) {
    case 'transfer_requested':
      session.generateReply({
        instructions:
          'The caller pressed 0 on the keypad to reach a person. Ask whether to transfer them to sales now; transfer only after they agree.',
      });
      return;
    case 'serial_incomplete':
      session.generateReply({
        instructions: `The caller keyed in only ${event.digits.length} digits. Ask them to key in all six last digits of the VIN, then press pound.`,
      });
      return;
    case 'serial_entered':
      collector.endSerialEntry();
      runInBackground(data, 'keypad_serial_lookup', async () => {
        const matches = await findVehiclesBySerialSuffix(data.db, event.digits, 3);
        const found = matches.map(
          (v) => `${v.year} ${v.make} ${v.model} (VIN ${v.vin}, ${v.status})`,
        );
        session.generateReply({
          instructions:
            found.length === 0
              ? 'No vehicle in our inventory has a VIN ending in the digits the caller keyed in. Say so and offer to take the full VIN.'
              : `Vehicles whose VIN ends in the digits the caller keyed in: ${found.join('; ')}. Confirm which one they mean, then call lookup_vehicle with its VIN.`,
        });
      });
      return;
    case 'keys':
      return;
  }
}

/**
 * Connects a running call to the phone line around it: silence and maximum-duration supervision
 * (the telephony module's timers), the caller hanging up (the session closes and the call ends as
 * hung up), and the keypad ("0" for a person, the VIN's last six digits when the agent asked for
 * them). Everything detaches when the session closes.
 */
export function attachPhoneLine(running: RunningCall, options: PhoneLineOptions): DtmfCollector {
  const { session, data } = running;
  const limits = data.config.telephony;
  superviseCall(session, {
    limits: {
      silencePromptMs: limits.silencePromptMs,
      silenceHangupMs: limits.silenceHangupMs,
      maxCallDurationMs: limits.maxCallDurationMs,
      maxCallWarningMs: limits.maxCallWarningMs,
    },
    telephony: data.telephony,
    logger: data.logger,
    timers: options.timers,
    onEnd: (reason) => onSupervisedEnd(data, reason),
  });
  const stopWatching = watchCallerHangup(options.room, options.callerIdentity, (how) => {
    data.logger.info({ how }, 'caller hung up');
    session.shutdown({ reason: how });
  });
  const collector = new DtmfCollector({
    interDigitTimeoutMs: limits.dtmfInterDigitTimeoutMs,
    timers: options.timers,
    onEvent: (event) => {
      try {
        onKeys(running, collector, event);
      } catch (error) {
        data.logger.warn({ err: errorText(error), keys: event.type }, 'keypad event not handled');
      }
    },
  });
  const stopKeys = listenForDtmf(options.room, collector, options.callerIdentity);
  data.keypad = collector;
  session.once(voice.AgentSessionEventTypes.Close, () => {
    stopWatching();
    stopKeys();
    collector.close();
    data.keypad = null;
  });
  return collector;
}
