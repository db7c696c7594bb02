import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';

/** One Twirp request as livekit-server-sdk sent it, with its verified token claims. */
export interface RecordedTwirpCall {
  /** e.g. 'SIP', 'RoomService', 'Egress', 'AgentDispatchService'. */
  service: string;
  /** e.g. 'CreateSIPInboundTrunk'. */
  method: string;
  /** The JSON body (protobuf JSON, camelCase field names). */
  body: Record<string, unknown>;
  /** Verified claims of the Bearer token (grants: video, sip, ...), or null when the token was invalid. */
  claims: ClaimGrants | null;
}

export interface TwirpFailure {
  status: number;
  code: string;
  msg: string;
  meta?: Record<string, string>;
}

/** Thrown by a handler to answer with this Twirp error (e.g. 404 not_found for an unknown id). */
export class FakeTwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

type Handler = (body: Record<string, unknown>, call: RecordedTwirpCall) => unknown;

export interface FakeLiveKitApi {
  /** http://127.0.0.1:<port>; pass it as the LiveKit host/URL. */
  url: string;
  apiKey: string;
  apiSecret: string;
  calls: RecordedTwirpCall[];
  /** Calls to one method, e.g. `callsTo('SIP', 'CreateSIPInboundTrunk')`. */
  callsTo(service: string, method: string): RecordedTwirpCall[];
  /**
   * Answers `service/method` with the handler's JSON (protobuf JSON) instead of `{}`; an async
   * handler holds the answer back (e.g. a transfer the test resolves while it races a webhook).
   */
  on(service: string, method: string, handler: Handler): void;
  /** Answers the next call(s) to `service/method` with a Twirp error, like the server would. */
  failNext(service: string, method: string, failure: TwirpFailure, times?: number): void;
  close(): Promise<void>;
}

const TWIRP_PATH = /^\/twirp\/livekit\.(\w+)\/(\w+)$/;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, payload: unknown): void {
  // livekit-server-sdk parses error bodies only when the content type is exactly application/json.
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload ?? {}));
}

/**
 * A local HTTP endpoint standing in for the LiveKit server API: it records every Twirp request,
 * verifies its token with the same key and secret, and answers like the server (JSON or Twirp errors).
 * Used to assert the exact requests we send; it never stubs our own code.
 */
export async function startFakeLiveKitApi(
  apiKey = 'APItestkey',
  apiSecret = 'test-secret-that-is-long-enough-for-hs256',
): Promise<FakeLiveKitApi> {
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const calls: RecordedTwirpCall[] = [];
  const handlers = new Map<string, Handler>();
  const failures = new Map<string, TwirpFailure[]>();

  const server = createServer(async (request, response) => {
    const match = TWIRP_PATH.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) {
      return sendJson(response, 404, { code: 'bad_route', msg: `no route ${request.url}` });
    }
    const [, service = '', method = ''] = match;
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const claims = await verifier.verify(token).catch(() => null);
    const call: RecordedTwirpCall = { service, method, body, claims };
    calls.push(call);
    if (!claims) return sendJson(response, 401, { code: 'unauthenticated', msg: 'invalid token' });
    const key = `${service}/${method}`;
    const failure = failures.get(key)?.shift();
    if (failure) return sendJson(response, failure.status, failure);
    try {
      return sendJson(response, 200, (await handlers.get(key)?.(body, call)) ?? {});
    } catch (error) {
      if (error instanceof FakeTwirpError) {
        return sendJson(response, error.status, { code: error.code, msg: error.message });
      }
      return sendJson(response, 500, { code: 'internal', msg: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    calls,
    callsTo: (service, method) => calls.filter((c) => c.service === service && c.method === method),
    on: (service, method, handler) => handlers.set(`${service}/${method}`, handler),
    failNext(service, method, failure, times = 1) {
      const key = `${service}/${method}`;
      failures.set(key, [
        ...(failures.get(key) ?? []),
        ...Array.from({ length: times }, () => failure),
      ]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
