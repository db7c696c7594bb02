import { RoomServiceClient, SipClient, TwirpError } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLiveKitApi, type FakeLiveKitApi } from './fake-livekit-api.js';

describe('fake LiveKit API', () => {
  let api: FakeLiveKitApi;
  afterEach(() => api.close());

  it('records the exact request and the grants its token carries', async () => {
    api = await startFakeLiveKitApi();
    api.on('RoomService', 'DeleteRoom', () => ({}));
    await new RoomServiceClient(api.url, api.apiKey, api.apiSecret).deleteRoom('call_+1555_abc');
    const [call] = api.callsTo('RoomService', 'DeleteRoom');
    expect(call?.body).toEqual({ room: 'call_+1555_abc' });
    expect(call?.claims?.video?.roomCreate).toBe(true);
  });

  it('answers with Twirp errors the SDK turns into TwirpError', async () => {
    api = await startFakeLiveKitApi();
    api.failNext('SIP', 'ListSIPInboundTrunk', {
      status: 403,
      code: 'permission_denied',
      msg: 'no sip admin',
    });
    const sip = new SipClient(api.url, api.apiKey, api.apiSecret);
    const error = await sip.listSipInboundTrunk().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwirpError);
    expect(error).toMatchObject({
      status: 403,
      code: 'permission_denied',
      message: 'no sip admin',
    });
  });

  it('rejects requests signed with another secret', async () => {
    api = await startFakeLiveKitApi();
    const forged = new RoomServiceClient(
      api.url,
      api.apiKey,
      'a-different-secret-of-enough-length',
    );
    await expect(forged.listRooms()).rejects.toMatchObject({ status: 401 });
    expect(api.calls[0]?.claims).toBeNull();
  });
});
