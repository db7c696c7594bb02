import { expect, it } from 'vitest';
import { startTestCall } from '../../../../test/helpers/agent-harness.js';
import { describeEachDialect } from '../../../../test/helpers/databases.js';
import type { Call } from '../../../calls/call.js';
import { getCall } from '../../../calls/call-repository.js';
import {
  RecordingTelephony,
  type TransferRequest,
  type TransferResult,
} from '../../../calls/telephony-port.js';
import type { Db } from '../../../db/index.js';

/** Records what the database held for the call at the moment the REFER was sent. */
class ObservingTelephony extends RecordingTelephony {
  callId = '';
  storedAtRefer: Call['transfer'][] = [];

  constructor(private readonly db: Db) {
    super();
  }

  override async transferToHuman(request: TransferRequest): Promise<TransferResult> {
    const call = await getCall(this.db, this.callId);
    if (call) this.storedAtRefer.push(call.transfer);
    return super.transferToHuman(request);
  }
}

describeEachDialect('transfer_to_human', (database) => {
  it('stores the target, clear of an earlier failure, before the REFER goes out', async () => {
    const { db } = database();
    const telephony = new ObservingTelephony(db);
    telephony.answerTransfersWith({ ok: false, error: 'SIP 486 Busy Here', sipStatusCode: 486 });
    const transfer = (department: string) => ({
      input: department,
      toolCalls: [
        {
          name: 'transfer_to_human',
          args: { department, reason: 'asked', caller_confirmed: true },
        },
      ],
    });
    const call = await startTestCall({
      database: database(),
      telephony,
      transferTargets: { sales: 'tel:+15555550111', service: 'tel:+15555550122' },
      responses: [transfer('sales'), transfer('service')],
    });
    telephony.callId = call.data.call.id;

    await call.say('sales');
    telephony.answerTransfersWith({ ok: true });
    await call.say('service');

    // What the participant_left webhook handler reads to leave an in-flight transfer alone.
    expect(telephony.storedAtRefer).toEqual([
      { target: 'tel:+15555550111', error: null, sipStatus: null },
      { target: 'tel:+15555550122', error: null, sipStatus: null },
    ]);
    expect(await call.ended).toBe('transferred');
    expect(await getCall(db, call.data.call.id)).toMatchObject({
      state: 'transferred',
      transfer: { target: 'tel:+15555550122', error: null, sipStatus: null },
    });
  });
});
