import { SipClient } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLiveKitApi, type FakeLiveKitApi } from '../../test/helpers/fake-livekit-api.js';
import { installSipStore, type FakeSipStore } from '../../test/helpers/fake-sip-store.js';
import { formatChange, provisionSip, teardownSip } from './provisioning.js';
import { parseSipConfig } from './sip-config.js';

const FILE = `
inbound:
  name: main-line
  numbers: ['+15555550100']
  allowedAddresses: [192.0.2.0/24, 198.51.100.10]
  auth:
    username: dealer
    password: \${SIP_PASSWORD}
  mediaEncryption: allow
  ringingTimeoutSeconds: 20
dispatch:
  roomPrefix: call
  metadata: { channel: sip, line: main }
  emptyTimeoutSeconds: 30
  departureTimeoutSeconds: 20
outbound:
  name: callbacks
  address: sip.carrier.example
  transport: tcp
  numbers: ['+15555550100']
transferTargets:
  sales: 'tel:+15555550111'
`;

const env = { SIP_PASSWORD: 'first-password' };
const parse = (text = FILE, vars: Record<string, string> = env) =>
  parseSipConfig(text, { env: vars, defaultAgentName: 'callcenter-agent' });

const MUTATIONS = /^(Create|Update|Delete)/;

/** The dispatch rule FILE describes, as the API receives it, with the given departure timeout. */
const dispatchRuleBody = (departureTimeout: number) => ({
  rule: { dispatchRuleIndividual: { roomPrefix: 'call' } },
  trunkIds: ['ST_fake1'],
  name: 'main-line dispatch',
  metadata: '{"managedBy":"dealership-voice-line","role":"dispatch"}',
  roomConfig: {
    emptyTimeout: 30,
    departureTimeout,
    agents: [{ agentName: 'callcenter-agent', metadata: '{"channel":"sip","line":"main"}' }],
  },
});

describe('SIP provisioning against the LiveKit API', () => {
  let api: FakeLiveKitApi;
  let store: FakeSipStore;
  let sip: SipClient;

  beforeEach(async () => {
    api = await startFakeLiveKitApi();
    store = installSipStore(api);
    sip = new SipClient(api.url, api.apiKey, api.apiSecret);
  });
  afterEach(() => api.close());

  const provision = (config = parse(), dryRun = false) =>
    provisionSip(sip, config, { fingerprintKey: api.apiSecret, dryRun });
  const mutations = () => api.calls.filter((c) => MUTATIONS.test(c.method));

  it('creates the inbound trunk, the individual dispatch rule and the outbound trunk', async () => {
    const changes = await provision();

    expect(changes.map((c) => formatChange(c))).toEqual([
      'created inbound-trunk main-line (ST_fake1)',
      'created dispatch-rule main-line dispatch (SDR_fake2)',
      'created outbound-trunk callbacks (ST_fake3)',
    ]);
    const [trunk] = api.callsTo('SIP', 'CreateSIPInboundTrunk');
    expect(trunk?.body).toEqual({
      trunk: {
        name: 'main-line',
        metadata: expect.stringMatching(
          /^\{"managedBy":"dealership-voice-line","role":"inbound","auth":"[\w-]{22}"\}$/,
        ),
        numbers: ['+15555550100'],
        allowedAddresses: ['192.0.2.0/24', '198.51.100.10'],
        authUsername: 'dealer',
        authPassword: 'first-password',
        ringingTimeout: '20s',
        mediaEncryption: 'SIP_MEDIA_ENCRYPT_ALLOW',
      },
    });
    const [rule] = api.callsTo('SIP', 'CreateSIPDispatchRule');
    expect(rule?.body).toEqual(dispatchRuleBody(20));
    const [outbound] = api.callsTo('SIP', 'CreateSIPOutboundTrunk');
    expect(outbound?.body).toEqual({
      trunk: {
        name: 'callbacks',
        metadata: '{"managedBy":"dealership-voice-line","role":"outbound"}',
        address: 'sip.carrier.example',
        transport: 'SIP_TRANSPORT_TCP',
        numbers: ['+15555550100'],
      },
    });
    // Trunk and rule CRUD need the SIP admin grant and nothing more.
    for (const call of api.calls) {
      expect(call.claims?.sip).toEqual({ admin: true });
      expect(call.claims?.video).toEqual({});
    }
  });

  it('changes nothing on a second run', async () => {
    await provision();
    const before = mutations().length;

    const changes = await provision();

    expect(mutations()).toHaveLength(before);
    expect(changes.map((c) => c.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(formatChange(changes[0]!)).toBe('unchanged inbound-trunk main-line (ST_fake1)');
  });

  it('updates the trunk in place when a number changes, and only the trunk', async () => {
    await provision();
    const before = api.calls.length;

    const changes = await provision(parse(FILE.replace("['+15555550100']", "['+15555550199']")));

    const sent = api.calls.slice(before).filter((c) => MUTATIONS.test(c.method));
    expect(sent.map((c) => c.method)).toEqual(['UpdateSIPInboundTrunk']);
    expect(sent[0]?.body).toEqual({
      sipTrunkId: 'ST_fake1',
      replace: expect.objectContaining({ name: 'main-line', numbers: ['+15555550199'] }),
    });
    expect(changes.map((c) => formatChange(c))).toEqual([
      'updated inbound-trunk main-line (ST_fake1): numbers',
      'unchanged dispatch-rule main-line dispatch (SDR_fake2)',
      'unchanged outbound-trunk callbacks (ST_fake3)',
    ]);
    expect(store.inbound.get('ST_fake1')).toMatchObject({ numbers: ['+15555550199'] });
  });

  it('sees a changed password through the credentials fingerprint', async () => {
    await provision();

    const changes = await provision(parse(FILE, { SIP_PASSWORD: 'second-password' }));

    expect(formatChange(changes[0]!)).toBe('updated inbound-trunk main-line (ST_fake1): metadata');
    const [update] = api.callsTo('SIP', 'UpdateSIPInboundTrunk');
    expect(update?.body).toMatchObject({ replace: { authPassword: 'second-password' } });
  });

  it('sends the full desired rule when the agent or the timeouts change', async () => {
    await provision();

    const edited = FILE.replace('departureTimeoutSeconds: 20', 'departureTimeoutSeconds: 45');
    const changes = await provision(parse(edited));

    expect(formatChange(changes[1]!)).toBe(
      'updated dispatch-rule main-line dispatch (SDR_fake2): roomConfig',
    );
    const [update] = api.callsTo('SIP', 'UpdateSIPDispatchRule');
    expect(update?.body).toEqual({
      sipDispatchRuleId: 'SDR_fake2',
      replace: dispatchRuleBody(45),
    });
  });

  it('sets fields the create call cannot carry with an update right after creating', async () => {
    const withCap = FILE.replace('ringingTimeoutSeconds: 20', 'maxCallDurationSeconds: 1800');

    const changes = await provision(parse(withCap));

    expect(changes[0]?.action).toBe('created');
    const [update] = api.callsTo('SIP', 'UpdateSIPInboundTrunk');
    expect(update?.body).toMatchObject({
      sipTrunkId: 'ST_fake1',
      replace: { maxCallDuration: '1800s' },
    });
    expect((await provision(parse(withCap))).map((c) => c.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('deletes the outbound trunk it created once the block leaves the file', async () => {
    await provision();

    const changes = await provision(
      parse(FILE.replace(/outbound:[\s\S]*?transferTargets/, 'transferTargets')),
    );

    expect(changes.map((c) => formatChange(c))).toContain(
      'deleted outbound-trunk callbacks (ST_fake3): not in the file',
    );
    expect(store.outbound.size).toBe(0);
  });

  it('plans without changing anything in a dry run', async () => {
    const changes = await provision(parse(), true);

    expect(mutations()).toEqual([]);
    expect(changes.map((c) => formatChange(c, true))).toEqual([
      'would create inbound-trunk main-line',
      'would create dispatch-rule main-line dispatch',
      'would create outbound-trunk callbacks',
    ]);
  });

  it('tears down only what carries our marker', async () => {
    const foreignTrunk = store.seed('inbound', { name: 'other', numbers: ['+15555550999'] });
    const foreignRule = store.seed('rule', {
      name: 'other rule',
      metadata: '{"managedBy":"someone-else"}',
      trunkIds: [foreignTrunk],
    });
    await provision();

    const changes = await teardownSip(sip);

    expect(changes.map((c) => formatChange(c))).toEqual([
      'deleted dispatch-rule main-line dispatch (SDR_fake4)',
      'deleted inbound-trunk main-line (ST_fake3)',
      'deleted outbound-trunk callbacks (ST_fake5)',
    ]);
    expect([...store.inbound.keys()]).toEqual([foreignTrunk]);
    expect([...store.rules.keys()]).toEqual([foreignRule]);
    expect(api.callsTo('SIP', 'DeleteSIPDispatchRule').map((c) => c.body)).toEqual([
      { sipDispatchRuleId: 'SDR_fake4' },
    ]);
  });

  it('leaves a foreign trunk with the same name alone and creates ours', async () => {
    store.seed('inbound', { name: 'main-line', numbers: ['+15555550999'], metadata: '' });

    const changes = await provision();

    expect(changes[0]).toMatchObject({ action: 'created', kind: 'inbound-trunk' });
    expect(api.callsTo('SIP', 'UpdateSIPInboundTrunk')).toEqual([]);
  });

  it('surfaces LiveKit errors as they came', async () => {
    api.failNext('SIP', 'CreateSIPInboundTrunk', {
      status: 400,
      code: 'invalid_argument',
      msg: 'conflicting inbound SIP Trunks: "ST_x" and "<new>", using the same number(s)',
    });

    await expect(provision()).rejects.toMatchObject({ status: 400, code: 'invalid_argument' });
    expect(api.callsTo('SIP', 'CreateSIPDispatchRule')).toEqual([]);
  });
});
