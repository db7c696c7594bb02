import { EventEmitter } from 'node:events';
import { ParticipantInfo_Kind } from '@livekit/protocol';
import { ParticipantKind, type Room, RoomEvent } from '@livekit/rtc-node';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { Config } from '../../src/config/index.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import type { Logger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { directMetricsSink } from '../../src/observability/metrics-sink.js';
import { createLiveKitClients } from '../../src/sip/livekit-clients.js';
import { SIP_ATTRIBUTE } from '../../src/sip/sip-attributes.js';
import { createCallDeps } from '../../src/worker/call-deps.js';
import { openCall, runCall, type RunningCall } from '../../src/worker/call-session.js';
import { attachPhoneLine } from '../../src/worker/phone-line.js';
import type { ScriptedReply } from '../../src/worker/simulator/scenario.js';
import { ScriptedLLM } from '../../src/worker/simulator/scripted-llm.js';
import { callerIdentity } from '../../src/worker/telephony/caller-identity.js';
import { initAgentsLogger } from '../helpers/agent-harness.js';
import { testConfig } from '../helpers/app.js';
import { bearerHeaders } from '../helpers/auth.js';
import { startFakeLiveKitApi, type FakeLiveKitApi } from '../helpers/fake-livekit-api.js';
import { signWebhook, type WebhookEventInit } from '../helpers/livekit-webhooks.js';
import { captureLogs } from '../helpers/log-capture.js';

/** The key pair LiveKit (the fake API), the webhooks and our config share. */
export const KEYS = {
  apiKey: 'APIintegration',
  apiSecret: 'integration-secret-long-enough-for-hs256',
};
export const SALES_DESK = 'tel:+15555550111';
export const DIALED_NUMBER = '+15555550100';

/**
 * Everything around a call that is not the worker: the LiveKit API (a local Twirp endpoint that
 * records requests), the API server (webhooks, calls API) on the same database, and a staff token.
 */
export interface CallCenter {
  api: FakeLiveKitApi;
  app: FastifyInstance;
  config: Config;
  database: DatabaseHandle;
  /** `Authorization` for a supervisor's API token (sees phone numbers unmasked). */
  staff: { authorization: string };
  /** Signs the event with the LiveKit key pair, as livekit-server does, and posts it. */
  webhook(event: WebhookEventInit): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startCallCenter(
  database: DatabaseHandle,
  env: Record<string, string> = {},
): Promise<CallCenter> {
  const api = await startFakeLiveKitApi(KEYS.apiKey, KEYS.apiSecret);
  const config = testConfig({
    LIVEKIT_URL: api.url,
    LIVEKIT_API_KEY: KEYS.apiKey,
    LIVEKIT_API_SECRET: KEYS.apiSecret,
    RECORDING_MODE: 'off',
    ...env,
  });
  const app = await buildApp({ config, database, ownsDatabase: false });
  await app.ready();
  return {
    api,
    app,
    config,
    database,
    staff: await bearerHeaders(app, 'supervisor'),
    async webhook(event) {
      const { body, headers } = await signWebhook(event, KEYS);
      return app.inject({ method: 'POST', url: '/webhooks/livekit', payload: body, headers });
    },
    async close() {
      await app.close();
      await api.close();
    },
  };
}

let sequence = 0;
const unique = () => `${process.pid}_${++sequence}_${Math.random().toString(36).slice(2, 8)}`;

/** A phone caller as LiveKit SIP puts them in the room (LIVEKIT_FACTS section 1). */
export interface SipCaller {
  identity: string;
  number: string;
  roomName: string;
  sipCallId: string;
  attributes: Record<string, string>;
}

/** A caller of an individual dispatch rule: room `call_<from>_<random>`, identity `sip_<from>`. */
export function sipCaller(number = '+15550100777'): SipCaller {
  const id = unique();
  const sipCallId = `SCL_${id}`;
  return {
    identity: `sip_${number}`,
    number,
    roomName: `call_${number}_${id}`,
    sipCallId,
    attributes: {
      [SIP_ATTRIBUTE.callId]: sipCallId,
      [SIP_ATTRIBUTE.callIdFull]: `${id}@carrier.example`,
      [SIP_ATTRIBUTE.trunkId]: 'ST_inbound',
      [SIP_ATTRIBUTE.ruleId]: 'SDR_dispatch',
      [SIP_ATTRIBUTE.phoneNumber]: number,
      [SIP_ATTRIBUTE.trunkPhoneNumber]: DIALED_NUMBER,
      'sip.hostname': 'sip.carrier.example',
      [SIP_ATTRIBUTE.callStatus]: 'active',
    },
  };
}

const createdAt = () => BigInt(Math.floor(Date.now() / 1000));

/** A webhook event with its id (every event livekit-server sends has one). */
export type LiveKitEvent = NonNullable<WebhookEventInit> & { id: string };

/** The webhooks livekit-server sends over a phone call's life, each with its own event id. */
export const events = {
  roomStarted: (caller: SipCaller): LiveKitEvent => ({
    id: `EV_started_${unique()}`,
    event: 'room_started',
    room: { name: caller.roomName, sid: `RM_${caller.sipCallId}` },
    createdAt: createdAt(),
  }),
  participantJoined: (caller: SipCaller): LiveKitEvent => ({
    id: `EV_joined_${unique()}`,
    event: 'participant_joined',
    room: { name: caller.roomName },
    participant: {
      identity: caller.identity,
      name: `Phone ${caller.number}`,
      kind: ParticipantInfo_Kind.SIP,
      attributes: caller.attributes,
    },
    createdAt: createdAt(),
  }),
  participantLeft: (caller: SipCaller): LiveKitEvent => ({
    id: `EV_left_${unique()}`,
    event: 'participant_left',
    room: { name: caller.roomName },
    participant: {
      identity: caller.identity,
      kind: ParticipantInfo_Kind.SIP,
      attributes: { ...caller.attributes, [SIP_ATTRIBUTE.callStatus]: 'hangup' },
    },
    createdAt: createdAt(),
  }),
  roomFinished: (caller: SipCaller): LiveKitEvent => ({
    id: `EV_finished_${unique()}`,
    event: 'room_finished',
    room: { name: caller.roomName },
    createdAt: createdAt(),
  }),
};

/** A call as the worker runs it, with the caller's side under the test's control. */
export interface PhoneCall extends RunningCall {
  caller: SipCaller;
  /** One caller turn: the model's scripted replies for it, then the caller's words. */
  say(text: string, replies: ScriptedReply[]): ReturnType<typeof runTurn>;
  /** The caller hangs up: the room reports the participant gone, as rtc-node does. */
  hangUp(): void;
  /** Replies the script gave that the agent never asked for (the script and agent disagree). */
  unusedReplies(): number;
  logs: ReturnType<typeof captureLogs>;
}

function runTurn(running: RunningCall, text: string) {
  return running.session.run({ userInput: text }).wait();
}

export interface PhoneCallOptions {
  /** The post-call summary the summarizing model answers with (JSON text). */
  summary?: string;
  /** The database the worker writes to (default: the call center's). */
  database?: DatabaseHandle;
  logger?: Logger;
  /** How long the call's end waits for writes on a dead database (the worker's default: 10 s). */
  writeFlushTimeoutMs?: number;
}

/**
 * Runs the worker's side of a phone call the way `entry` does, minus the LiveKit room: the
 * caller's identity from their SIP attributes, `createCallDeps` (LiveKit telephony against the
 * fake API, summary after the call), `openCall`, `runCall` with a scripted `FakeLLM`, and the
 * phone line (hang-up, keypad) on a stand-in for the rtc room.
 */
export async function startPhoneCall(
  center: CallCenter,
  caller: SipCaller,
  options: PhoneCallOptions = {},
): Promise<PhoneCall> {
  initAgentsLogger();
  const logs = captureLogs();
  const model = new ScriptedLLM(new Map());
  const summarizer = new ScriptedLLM(new Map());
  summarizer.script([{ content: options.summary ?? '{}' }]);
  const database = options.database ?? center.database;
  const deps = {
    ...createCallDeps(
      {
        config: center.config,
        db: database.db,
        logger: options.logger ?? logs.logger,
        metrics: directMetricsSink(createMetrics({ defaultMetrics: false })),
        livekit: createLiveKitClients(center.config.livekit),
        transferTargets: { sales: SALES_DESK },
        recording: null,
      },
      {
        roomName: caller.roomName,
        callerIdentity: caller.identity,
        summarizer,
        recorderFile: () => undefined,
      },
    ),
    writeFlushTimeoutMs: options.writeFlushTimeoutMs,
  };
  const { sipCallStatus: _status, ...identity } = callerIdentity({
    identity: caller.identity,
    kind: ParticipantKind.SIP,
    attributes: caller.attributes,
  });
  const opened = await openCall(deps, {
    roomName: caller.roomName,
    jobId: `AJ_${caller.sipCallId}`,
    ...identity,
  });
  const running = await runCall(deps, opened, { llm: model });
  const room = new EventEmitter();
  attachPhoneLine(running, {
    room: room as unknown as Pick<Room, 'on' | 'off'>,
    callerIdentity: caller.identity,
  });
  return {
    ...running,
    caller,
    logs,
    say(text, replies) {
      model.script(replies);
      return runTurn(running, text);
    },
    hangUp() {
      room.emit(RoomEvent.ParticipantDisconnected, { identity: caller.identity });
    },
    unusedReplies: () => model.unused,
  };
}
