import { ServerError } from 'livekit-server-sdk';

/** What went wrong talking to the LiveKit API, in a form safe to print, log and store. */
export interface LiveKitFailure {
  /** HTTP status of a Twirp error; undefined when no answer came back. */
  status?: number;
  /** Twirp error code, e.g. `permission_denied`, `not_found`. */
  code?: string;
  message: string;
}

function causeCode(error: Error): string | undefined {
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** Classifies an error thrown by a livekit-server-sdk client. */
export function liveKitFailure(error: unknown): LiveKitFailure {
  if (error instanceof ServerError) {
    return { status: error.status, code: error.code, message: error.message };
  }
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') {
      return { message: 'the LiveKit API did not answer in time' };
    }
    // fetch() reports connection problems as TypeError('fetch failed') with the socket error as cause.
    const code = causeCode(error);
    if (code) return { code, message: `the LiveKit API is unreachable (${code})` };
    return { message: error.message };
  }
  return { message: String(error) };
}

/** One line for people: `LiveKit API error 403 permission_denied: no sip admin`. */
export function describeLiveKitError(error: unknown): string {
  const failure = liveKitFailure(error);
  if (failure.status === undefined) return `LiveKit API error: ${failure.message}`;
  return `LiveKit API error ${failure.status} ${failure.code ?? 'unknown'}: ${failure.message}`;
}

/** Whether the API answered that the thing does not exist (a room that already closed, ...). */
export function isLiveKitNotFound(error: unknown): boolean {
  return error instanceof ServerError && (error.status === 404 || error.code === 'not_found');
}
