import {
  AgentDispatchClient,
  EgressClient,
  RoomServiceClient,
  SipClient,
} from 'livekit-server-sdk';
import type { Config } from '../config/index.js';

/** The LiveKit server API clients every module shares (one set per process). */
export interface LiveKitClients {
  room: RoomServiceClient;
  sip: SipClient;
  egress: EgressClient;
  dispatch: AgentDispatchClient;
}

/** Thrown when a LiveKit client is needed but the settings are incomplete; names what is missing. */
export class LiveKitNotConfiguredError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`LiveKit is not configured: set ${missing.join(', ')}`);
    this.name = 'LiveKitNotConfiguredError';
  }
}

/** The LIVEKIT_* variables that are not set. */
export function missingLiveKitVariables(livekit: Config['livekit']): string[] {
  const missing: string[] = [];
  if (!livekit.url) missing.push('LIVEKIT_URL');
  if (!livekit.apiKey) missing.push('LIVEKIT_API_KEY');
  if (!livekit.apiSecret) missing.push('LIVEKIT_API_SECRET');
  return missing;
}

/**
 * Creates the LiveKit server API clients from the config. The SDK would silently fall back to
 * `process.env.LIVEKIT_API_KEY/SECRET`; passing every value explicitly keeps the config the only source.
 */
export function createLiveKitClients(
  livekit: Config['livekit'],
  options: { requestTimeoutSeconds?: number } = {},
): LiveKitClients {
  const missing = missingLiveKitVariables(livekit);
  const { url, apiKey, apiSecret } = livekit;
  if (missing.length > 0 || !url || !apiKey || !apiSecret) {
    throw new LiveKitNotConfiguredError(missing);
  }
  const clientOptions = { requestTimeout: options.requestTimeoutSeconds };
  return {
    room: new RoomServiceClient(url, apiKey, apiSecret, clientOptions),
    sip: new SipClient(url, apiKey, apiSecret, clientOptions),
    egress: new EgressClient(url, apiKey, apiSecret, clientOptions),
    dispatch: new AgentDispatchClient(url, apiKey, apiSecret, clientOptions),
  };
}

/** A room name no call uses: listing it is an authenticated request with an empty answer. */
const READINESS_PROBE_ROOM = '__readiness_probe__';

/**
 * Readiness check for the LiveKit API: one cheap authenticated call (ListRooms filtered to a room
 * that does not exist). Throws when the server is unreachable or rejects the credentials.
 */
export async function checkLiveKitApi(clients: Pick<LiveKitClients, 'room'>): Promise<void> {
  await clients.room.listRooms([READINESS_PROBE_ROOM]);
}
