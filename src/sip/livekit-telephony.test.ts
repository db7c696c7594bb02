import { RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLiveKitApi, type FakeLiveKitApi } from '../../test/helpers/fake-livekit-api.js';
import type { TelephonyPort } from '../calls/telephony-port.js';
import { LiveKitTelephony } from './livekit-telephony.js';

const ROOM = 'call_+15555550100_aBcD';
const CALLER = 'sip_+15555550100';
const sales = { target: 'tel:+15555550111', targetName: 'sales' };

describe('LiveKit telephony', () => {
  let api: FakeLiveKitApi;
  let telephony: TelephonyPort;

  beforeEach(async () => {
    api = await startFakeLiveKitApi();
    // Assigned to the port type: the compiler checks the LiveKit implementation fits it.
    telephony = new LiveKitTelephony({
      sip: new SipClient(api.url, api.apiKey, api.apiSecret),
      room: new RoomServiceClient(api.url, api.apiKey, api.apiSecret),
      roomName: ROOM,
      callerIdentity: CALLER,
    });
  });
  afterEach(() => api.close());

  it('cold-transfers the caller by SIP REFER with room admin and SIP call grants', async () => {
    expect(await telephony.transferToHuman(sales)).toEqual({ ok: true });

    const [call] = api.callsTo('SIP', 'TransferSIPParticipant');
    expect(call?.body).toEqual({
      participantIdentity: CALLER,
      roomName: ROOM,
      transferTo: 'tel:+15555550111',
      ringingTimeout: '30s',
    });
    expect(call?.claims?.video).toEqual({ roomAdmin: true, room: ROOM });
    expect(call?.claims?.sip).toEqual({ call: true });
  });

  it('maps a refused REFER to a typed failure with the SIP status', async () => {
    api.failNext('SIP', 'TransferSIPParticipant', {
      status: 400,
      code: 'failed_precondition',
      msg: 'transfer failed',
      meta: { sip_status_code: '486', sip_status: 'Busy Here' },
    });

    expect(await telephony.transferToHuman(sales)).toEqual({
      ok: false,
      error: 'transfer to sales refused: SIP 486 Busy Here',
      sipStatusCode: 486,
      sipStatus: 'Busy Here',
    });
  });

  it('reports API failures without a SIP status as failures too', async () => {
    api.failNext('SIP', 'TransferSIPParticipant', {
      status: 400,
      code: 'invalid_argument',
      msg: 'no SIP session associated with participant',
    });

    expect(await telephony.transferToHuman(sales)).toEqual({
      ok: false,
      error:
        'transfer to sales failed: LiveKit API error 400 invalid_argument: no SIP session associated with participant',
    });
  });

  it('hangs up by deleting the room, and treats a room already gone as done', async () => {
    await telephony.hangUp('caller said goodbye');
    const [call] = api.callsTo('RoomService', 'DeleteRoom');
    expect(call?.body).toEqual({ room: ROOM });
    expect(call?.claims?.video).toEqual({ roomCreate: true });

    api.failNext('RoomService', 'DeleteRoom', {
      status: 404,
      code: 'not_found',
      msg: 'room not found',
    });
    await expect(telephony.hangUp('again')).resolves.toBeUndefined();

    api.failNext('RoomService', 'DeleteRoom', {
      status: 403,
      code: 'permission_denied',
      msg: 'no',
    });
    await expect(telephony.hangUp('denied')).rejects.toMatchObject({ status: 403 });
  });
});
