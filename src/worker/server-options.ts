import { ServerOptions } from '@livekit/agents';
import type { Config } from '../config/index.js';

/** The CPU load above which the worker tells LiveKit it is full (the framework's production value). */
export const WORKER_LOAD_THRESHOLD = 0.7;

type ServerOptionsInit = ConstructorParameters<typeof ServerOptions>[0];

/**
 * The LiveKit Agents server options from our config. `agentFile` is the module job processes
 * import (its default export is `defineAgent(...)`); keep process-level work such as the metrics
 * server out of it, since every job process imports it.
 *
 * Shutdown: on SIGTERM `cli.runApp`'s `start` command stops taking jobs (the worker reports
 * itself full and rejects new requests), waits up to WORKER_DRAIN_TIMEOUT_SECONDS for active calls
 * to end, then asks each remaining job to shut down: its AgentSession closes (the agent's
 * `onExit()` runs, so it can say goodbye), the room is left, shutdown callbacks run; after
 * `shutdownProcessTimeout` a job process is killed. The process then exits 143.
 */
export function workerServerOptions(
  config: Config,
  agentFile: string,
  overrides: Partial<ServerOptionsInit> = {},
): ServerOptions {
  return new ServerOptions({
    agent: agentFile,
    agentName: config.livekit.agentName,
    wsURL: config.livekit.url,
    apiKey: config.livekit.apiKey,
    apiSecret: config.livekit.apiSecret,
    port: config.worker.httpPort,
    // 0 would mean "wait forever" to the framework; for us it means "end calls right away".
    drainTimeout: Math.max(1, config.worker.drainTimeoutMs),
    // Set explicitly: `start` rebuilds the options from these fields, and a threshold resolved
    // outside production (Infinity) would survive into production and never report the worker full.
    loadThreshold: WORKER_LOAD_THRESHOLD,
    // The framework allows 10 s to prewarm (Silero VAD, the database); bench:capacity saw 8 s when
    // several job processes start together and ~30 s on a saturated machine, after which the
    // worker kills the process and the call waits for another.
    initializeProcessTimeout: config.worker.processInitTimeoutMs,
    ...(config.worker.idleProcesses !== undefined && {
      numIdleProcesses: config.worker.idleProcesses,
    }),
    ...overrides,
  });
}
