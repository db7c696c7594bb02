import { SipCallError, type RoomServiceClient, type SipClient } from 'livekit-server-sdk';
import { describeLiveKitError, isLiveKitNotFound } from './livekit-errors.js';

/**
 * The phone line as LiveKit provides it, for one call: cold transfer by SIP REFER and hang-up by
 * deleting the room. It has the shape of `TelephonyPort` (src/calls/telephony-port.ts); the types
 * are repeated here because src/sip sits below src/calls and never imports it.
 */

export interface LiveKitTransferRequest {
  /** `tel:+1...` or `sip:...`: where the carrier is REFERred to. */
  target: string;
  targetName: string;
}

export type LiveKitTransferResult =
  { ok: true } | { ok: false; error: string; sipStatusCode?: number; sipStatus?: string };

export interface LiveKitTelephonyOptions {
  sip: Pick<SipClient, 'transferSipParticipant'>;
  room: Pick<RoomServiceClient, 'deleteRoom'>;
  roomName: string;
  /** The SIP caller's participant identity (`sip_+1555...`). */
  callerIdentity: string;
  /** How long the transfer target may ring before the REFER counts as failed (seconds). */
  ringingTimeoutSeconds?: number;
}

/** Default ring time for the transfer target: long enough for a desk phone to be picked up. */
export const TRANSFER_RINGING_TIMEOUT_SECONDS = 30;

export class LiveKitTelephony {
  constructor(private readonly options: LiveKitTelephonyOptions) {}

  /**
   * Asks LiveKit SIP to REFER the caller to the target; resolves when the carrier accepted or
   * refused. The caller hears the carrier's ringing, not a dial tone from us. Warm transfer is not
   * possible on self-hosted LiveKit (moving participants between rooms is not implemented there).
   */
  async transferToHuman(request: LiveKitTransferRequest): Promise<LiveKitTransferResult> {
    const { sip, roomName, callerIdentity } = this.options;
    try {
      await sip.transferSipParticipant(roomName, callerIdentity, request.target, {
        playDialtone: false,
        ringingTimeout: this.options.ringingTimeoutSeconds ?? TRANSFER_RINGING_TIMEOUT_SECONDS,
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof SipCallError && error.sipStatusCode !== undefined) {
        return {
          ok: false,
          error: `transfer to ${request.targetName} refused: SIP ${error.sipStatusCode}${error.sipStatus ? ` ${error.sipStatus}` : ''}`,
          sipStatusCode: error.sipStatusCode,
          ...(error.sipStatus ? { sipStatus: error.sipStatus } : {}),
        };
      }
      return {
        ok: false,
        error: `transfer to ${request.targetName} failed: ${describeLiveKitError(error)}`,
      };
    }
  }

  /** Ends the call for everyone: deleting the room makes LiveKit SIP send BYE to the carrier. */
  async hangUp(_reason: string): Promise<void> {
    try {
      await this.options.room.deleteRoom(this.options.roomName);
    } catch (error) {
      // Already gone (the caller hung up first, or LiveKit closed the empty room): nothing to end.
      if (!isLiveKitNotFound(error)) throw error;
    }
  }
}
