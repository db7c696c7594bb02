import { type Config, missingLiveKitSettings, missingProviderKeys } from '../config/index.js';

/** Every setting the voice worker needs that is missing (LiveKit first, then provider keys). */
export function missingWorkerSettings(config: Config): string[] {
  return [...missingLiveKitSettings(config), ...missingProviderKeys(config)];
}

/** The agents CLI commands that connect to LiveKit and run calls (others, like --help, do not). */
export const CONNECTING_COMMANDS = new Set(['start', 'dev', 'connect']);
