import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/helpers/app.js';
import { startFakeLiveKitApi, type FakeLiveKitApi } from '../../test/helpers/fake-livekit-api.js';
import { installSipStore, type FakeSipStore } from '../../test/helpers/fake-sip-store.js';
import { runSipCommand } from './sip-command.js';

const SHIPPED = path.resolve('config/sip.yaml');

describe('npm run sip', () => {
  let api: FakeLiveKitApi;
  let store: FakeSipStore;
  let out: string[];
  let err: string[];

  beforeEach(async () => {
    api = await startFakeLiveKitApi();
    store = installSipStore(api);
    out = [];
    err = [];
  });
  afterEach(() => api.close());

  const sip = (argv: string[], env: Record<string, string> = {}) =>
    runSipCommand(argv, {
      config: testConfig({
        LIVEKIT_URL: api.url,
        LIVEKIT_API_KEY: api.apiKey,
        LIVEKIT_API_SECRET: api.apiSecret,
        SIP_CONFIG_FILE: SHIPPED,
      }),
      env,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });

  it('provisions the shipped config/sip.yaml as is, then finds nothing to change', async () => {
    expect(await sip(['provision'])).toBe(0);
    expect(out).toEqual([
      'created inbound-trunk dealership-main-line (ST_fake1)',
      'created dispatch-rule dealership-main-line dispatch (SDR_fake2)',
      'created outbound-trunk dealership-callbacks (ST_fake3)',
    ]);
    expect(api.callsTo('SIP', 'CreateSIPInboundTrunk')[0]?.body).toEqual({
      trunk: {
        name: 'dealership-main-line',
        metadata: '{"managedBy":"dealership-voice-line","role":"inbound"}',
        numbers: ['+15555550100'],
        allowedAddresses: ['192.0.2.0/24', '198.51.100.10'],
        ringingTimeout: '30s',
        mediaEncryption: 'SIP_MEDIA_ENCRYPT_ALLOW',
      },
    });
    expect(api.callsTo('SIP', 'CreateSIPDispatchRule')[0]?.body).toMatchObject({
      rule: { dispatchRuleIndividual: { roomPrefix: 'call' } },
      trunkIds: ['ST_fake1'],
      roomConfig: {
        agents: [{ agentName: 'callcenter-agent', metadata: '{"channel":"sip","line":"main"}' }],
      },
    });

    out = [];
    expect(await sip(['provision', '--file', SHIPPED])).toBe(0);
    expect(out.every((line) => line.startsWith('unchanged '))).toBe(true);
  });

  it('lists trunks and rules, marking ours', async () => {
    store.seed('inbound', { name: 'legacy', numbers: ['+15555550999'] });
    await sip(['provision']);
    out = [];

    expect(await sip(['status'])).toBe(0);

    expect(out).toEqual([
      'inbound trunks:',
      '  ST_fake1  legacy  numbers +15555550999',
      '  ST_fake2  dealership-main-line  numbers +15555550100  [ours]',
      'outbound trunks:',
      '  ST_fake4  dealership-callbacks  numbers +15555550100  via sip.carrier.example  [ours]',
      'dispatch rules:',
      '  SDR_fake3  dealership-main-line dispatch  individual  trunks ST_fake2  agents callcenter-agent  [ours]',
    ]);
  });

  it('tears down what it created', async () => {
    await sip(['provision']);
    out = [];
    expect(await sip(['teardown', '--dry-run'])).toBe(0);
    expect(out[0]).toBe('would delete dispatch-rule dealership-main-line dispatch (SDR_fake2)');
    expect(store.rules.size).toBe(1);

    out = [];
    expect(await sip(['teardown'])).toBe(0);
    expect(out).toHaveLength(3);
    expect(store.inbound.size + store.outbound.size + store.rules.size).toBe(0);
    out = [];
    await sip(['teardown']);
    expect(out).toEqual(['nothing to do']);
  });

  it('exits 1 with the LiveKit status, code and message', async () => {
    api.failNext('SIP', 'ListSIPInboundTrunk', {
      status: 403,
      code: 'permission_denied',
      msg: 'requires SIP admin permission',
    });

    expect(await sip(['provision'])).toBe(1);

    expect(err).toEqual(['LiveKit API error 403 permission_denied: requires SIP admin permission']);
    expect(out).toEqual([]);
  });

  it('exits 1 naming the LIVEKIT_* settings that are missing', async () => {
    const code = await runSipCommand(['status'], {
      config: testConfig({ LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }),
      env: {},
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    expect(code).toBe(1);
    expect(err).toEqual(['LiveKit is not configured: set LIVEKIT_URL']);
  });

  it('exits 1 when the server cannot be reached', async () => {
    const url = api.url;
    await api.close();
    const code = await runSipCommand(['status'], {
      config: testConfig({ LIVEKIT_URL: url, LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }),
      env: {},
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    api = await startFakeLiveKitApi();
    expect(code).toBe(1);
    expect(err).toEqual(['LiveKit API error: the LiveKit API is unreachable (ECONNREFUSED)']);
  });

  it('exits 2 on a wrong command line', async () => {
    expect(await sip(['provison'])).toBe(2);
    expect(err[0]).toMatch(/^unknown command "provison"\n\nUsage: npm run sip/);
  });

  it('exits 1 from the real process on a bad file, naming line and key, before any LiveKit call', () => {
    const file = path.join(tempDir(), 'sip.yaml');
    writeFileSync(file, "inbound:\n  name: main\n  numbers: ['0800 CARS']\n");
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/sip/sip-cli.ts', 'provision', '--file', file],
      { env: { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: tempDir() }, encoding: 'utf8' },
    );
    expect(result.stderr).toContain('Invalid SIP configuration:');
    expect(result.stderr).toMatch(/sip\.yaml:3:13 inbound\.numbers\[0\]: expected E\.164/);
    expect(result.status).toBe(1);
  });
});
