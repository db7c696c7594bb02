import { type Config, missingLiveKitSettings, missingProviderKeys } from '../config/index.js';

/** Every setting the voice worker needs that is missing (LiveKit first, then provider keys). */
export function missingWorkerSettings(config: Config): string[] {
  return [...missingLiveKitSettings(config), ...missingProviderKeys(config)];
}

/** The agents CLI commands that connect to LiveKit and run calls (others, like --help, do not). */
export const CONNECTING_COMMANDS = new Set(['start', 'dev', 'connect']);

/** `ServerOptions` fields from config: explicit dispatch by agent name, LiveKit credentials. */
export function serverOptionsFrom(config: Config, agentFile: string) {
  return {
    agent: agentFile,
    agentName: config.livekit.agentName,
    wsURL: config.livekit.url ?? 'ws://localhost:7880',
    apiKey: config.livekit.apiKey,
    apiSecret: config.livekit.apiSecret,
    port: config.worker.httpPort,
    drainTimeout: config.worker.drainTimeoutMs,
  };
}
