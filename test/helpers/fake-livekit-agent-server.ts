import type { AddressInfo } from 'node:net';
import {
  AvailabilityRequest,
  Job,
  JobAssignment,
  JobType,
  RegisterWorkerResponse,
  Room,
  ServerInfo,
  ServerMessage,
  WorkerMessage,
} from '@livekit/protocol';
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';
import { WebSocketServer, type WebSocket } from 'ws';

type WorkerMessageCase = NonNullable<WorkerMessage['message']['case']>;
type WorkerMessageValue<C extends WorkerMessageCase> = Extract<
  WorkerMessage['message'],
  { case: C }
>['value'];

/**
 * The agent-worker side of a LiveKit server, for process tests of the worker: it accepts the
 * worker's WebSocket on `/agent` (token verified), registers it, offers jobs and assigns them when
 * the worker accepts, and records every message the worker sends (load updates, availability).
 */
export interface FakeAgentServer {
  /** ws://127.0.0.1:<port>; pass it as LIVEKIT_URL. */
  url: string;
  /** Verified claims of the worker's connection token, once it connected. */
  claims(): ClaimGrants | null;
  messages: WorkerMessage[];
  /** Resolves with the first message of this kind (already received or future) that matches. */
  waitFor<C extends WorkerMessageCase>(
    kind: C,
    match?: (value: WorkerMessageValue<C>) => boolean,
  ): Promise<WorkerMessageValue<C>>;
  /** Offers a room job to the registered worker; assigns it if the worker accepts. */
  offerJob(jobId: string, roomName: string): void;
  close(): Promise<void>;
}

export async function startFakeAgentServer(
  apiKey: string,
  apiSecret: string,
): Promise<FakeAgentServer> {
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/agent' });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const messages: WorkerMessage[] = [];
  const listeners = new Set<(message: WorkerMessage) => void>();
  const jobs = new Map<string, Job>();
  let socket: WebSocket | undefined;
  let claims: ClaimGrants | null = null;

  const send = (message: ServerMessage['message']) =>
    socket?.send(new ServerMessage({ message }).toBinary());

  const onWorkerMessage = (message: WorkerMessage) => {
    const { case: kind, value } = message.message;
    if (kind === 'register') {
      send({
        case: 'register',
        value: new RegisterWorkerResponse({
          workerId: 'AW_fake',
          serverInfo: new ServerInfo({ version: 'fake' }),
        }),
      });
    }
    if (kind === 'availability' && value.available) {
      const job = jobs.get(value.jobId);
      if (job) {
        send({ case: 'assignment', value: new JobAssignment({ job, token: 'unused-in-tests' }) });
      }
    }
  };

  wss.on('connection', (ws, request) => {
    socket = ws;
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    void verifier.verify(token).then(
      (verified) => (claims = verified),
      () => ws.close(4001, 'invalid token'),
    );
    ws.on('message', (data: Buffer) => {
      const message = WorkerMessage.fromBinary(new Uint8Array(data));
      messages.push(message);
      onWorkerMessage(message);
      for (const listener of listeners) listener(message);
    });
  });

  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    claims: () => claims,
    messages,
    waitFor: ((kind: WorkerMessageCase, match: (value: unknown) => boolean = () => true) => {
      const matches = (message: WorkerMessage) =>
        message.message.case === kind && match(message.message.value);
      const seen = messages.find(matches);
      if (seen) return Promise.resolve<unknown>(seen.message.value);
      return new Promise<unknown>((resolve) => {
        const listener = (message: WorkerMessage) => {
          if (!matches(message)) return;
          listeners.delete(listener);
          resolve(message.message.value);
        };
        listeners.add(listener);
      });
    }) as FakeAgentServer['waitFor'],
    offerJob(jobId, roomName) {
      const job = new Job({
        id: jobId,
        type: JobType.JT_ROOM,
        room: new Room({ sid: `RM_${jobId}`, name: roomName }),
      });
      jobs.set(jobId, job);
      send({ case: 'availability', value: new AvailabilityRequest({ job }) });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
