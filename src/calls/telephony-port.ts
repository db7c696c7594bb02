/**
 * What the agent asks of the phone line. The LiveKit implementation (SIP REFER, room deletion)
 * lives in `src/sip/`; `RecordingTelephony` records requests for tests and the simulator.
 */

export interface TransferRequest {
  /** A `tel:+1...` or `sip:...` URI the carrier will be REFERred to. */
  target: string;
  /** The configured name of the target (e.g. "sales"). */
  targetName: string;
}

export type TransferResult =
  | { ok: true }
  | {
      ok: false;
      /** Safe to store and log; never read to the caller verbatim. */
      error: string;
      /** SIP status of the failed REFER (e.g. 486 Busy Here), when the carrier gave one. */
      sipStatusCode?: number;
      sipStatus?: string;
    };

export interface TelephonyPort {
  /** Cold-transfers the caller (SIP REFER); resolves when the carrier accepted or refused. */
  transferToHuman(request: TransferRequest): Promise<TransferResult>;
  /** Ends the call for everyone (the SIP leg gets BYE). */
  hangUp(reason: string): Promise<void>;
}

export type TelephonyRequest =
  { kind: 'transfer'; request: TransferRequest } | { kind: 'hangup'; reason: string };

/** A telephony port that records what was asked and answers with a configurable transfer result. */
export class RecordingTelephony implements TelephonyPort {
  readonly requests: TelephonyRequest[] = [];

  constructor(private transferResult: TransferResult = { ok: true }) {}

  /** Makes the next transfers answer with this result (e.g. a 486 Busy Here failure). */
  answerTransfersWith(result: TransferResult): void {
    this.transferResult = result;
  }

  async transferToHuman(request: TransferRequest): Promise<TransferResult> {
    this.requests.push({ kind: 'transfer', request });
    return this.transferResult;
  }

  async hangUp(reason: string): Promise<void> {
    this.requests.push({ kind: 'hangup', reason });
  }
}
