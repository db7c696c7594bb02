import { ServerOptions } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../test/helpers/app.js';
import { WORKER_LOAD_THRESHOLD, workerServerOptions } from './server-options.js';

const AGENT_FILE = '/app/dist/src/worker/agent.js';

describe('workerServerOptions', () => {
  it('maps LiveKit, the health port and the drain limit from the config', () => {
    const config = testConfig({
      LIVEKIT_URL: 'ws://livekit:7880',
      LIVEKIT_API_KEY: 'callcenter',
      LIVEKIT_API_SECRET: 'a-secret-of-at-least-thirty-two-characters',
      AGENT_NAME: 'riverside-agent',
      WORKER_HTTP_PORT: '8089',
      WORKER_DRAIN_TIMEOUT_SECONDS: '120',
      WORKER_IDLE_PROCESSES: '2',
      WORKER_PROCESS_INIT_TIMEOUT_SECONDS: '45',
    });
    const options = workerServerOptions(config, AGENT_FILE);
    expect(options).toMatchObject({
      agent: AGENT_FILE,
      agentName: 'riverside-agent',
      wsURL: 'ws://livekit:7880',
      apiKey: 'callcenter',
      apiSecret: 'a-secret-of-at-least-thirty-two-characters',
      port: 8089,
      drainTimeout: 120_000,
      loadThreshold: WORKER_LOAD_THRESHOLD,
      numIdleProcesses: 2,
      initializeProcessTimeout: 45_000,
    });
  });

  it('gives job processes 30 s to prewarm and leaves the idle pool to the framework by default', () => {
    const options = workerServerOptions(testConfig(), AGENT_FILE);
    expect(options.initializeProcessTimeout).toBe(30_000);
    expect(options.numIdleProcesses).toBe(
      new ServerOptions({ agent: AGENT_FILE }).numIdleProcesses,
    );
  });

  it('keeps a real load threshold through the rebuild the `start` command does', () => {
    const options = workerServerOptions(testConfig(), AGENT_FILE);
    // cli.runApp's `start` builds new ServerOptions from these fields with production=true.
    const { production: _production, ...fields } = options;
    const started = new ServerOptions({ ...fields, production: true });
    expect(started.loadThreshold).toBe(WORKER_LOAD_THRESHOLD);
    expect(started.port).toBe(8081);
    // Without the explicit threshold, the framework's non-production Infinity would survive.
    const { production: _p, ...plain } = new ServerOptions({ agent: AGENT_FILE });
    expect(new ServerOptions({ ...plain, production: true }).loadThreshold).toBe(Infinity);
  });

  it('ends calls at once for a zero drain limit instead of waiting forever', () => {
    const options = workerServerOptions(
      testConfig({ WORKER_DRAIN_TIMEOUT_SECONDS: '0' }),
      AGENT_FILE,
    );
    expect(options.drainTimeout).toBe(1);
  });
});
