import { type llm, voice } from '@livekit/agents';
import {
  createCall,
  getCall,
  listTransitions,
  transitionCall,
  updateCall,
} from '../../calls/call-repository.js';
import type { Call } from '../../calls/call.js';
import { RecordingTelephony } from '../../calls/telephony-port.js';
import { listToolCalls, type ToolCallRecord } from '../../calls/tool-call-repository.js';
import { listTranscript, type TranscriptItem } from '../../calls/transcript-repository.js';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/index.js';
import type { Logger } from '../../observability/logger.js';
import type { MetricsSink } from '../../observability/metrics-sink.js';
import { errorText } from '../call-data.js';
import { openCall, runCall, type RunningCall, type WorkerDeps } from '../call-session.js';
import type { Scenario } from './scenario.js';
import { ScriptedLLM, type ToolOutputs } from './scripted-llm.js';

export interface SimulatorEnv {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: MetricsSink;
  /** A real LLM for an evaluation run; scripted replies are used when null. */
  liveLlm: llm.LLM | null;
  transferTargets: Readonly<Record<string, string>>;
  /** Post-call work (the summary) when a real LLM is configured. */
  afterCall?: WorkerDeps['afterCall'];
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  failures: string[];
  call: Call | null;
  states: string[];
  transcript: TranscriptItem[];
  toolCalls: ToolCallRecord[];
  telephony: string[];
  durationMs: number;
}

const DAY_MS = 86_400_000;

async function seedPreviousCalls(
  db: Db,
  scenario: Scenario,
  now: Date,
  tag: string,
): Promise<void> {
  let i = 0;
  for (const previous of scenario.previous_calls) {
    i++;
    const call = await createCall(db, {
      roomName: `${tag}_earlier_${i}`,
      channel: scenario.caller.channel,
      callerNumber: scenario.caller.number,
      startedAt: new Date(now.getTime() - i * 7 * DAY_MS).toISOString(),
    });
    await updateCall(db, call.id, {
      customerName: previous.customer_name ?? null,
      vin: previous.vin ?? null,
      outcome: previous.outcome ?? 'resolved',
      summary: previous.summary ? { status: 'done', text: previous.summary } : undefined,
    });
    await transitionCall(db, call.id, 'ended', { reason: 'earlier simulated call' });
  }
}

function isSubsequence(expected: readonly string[], actual: readonly string[]): boolean {
  let at = 0;
  for (const name of actual) if (name === expected[at]) at++;
  return at === expected.length;
}

function check(
  scenario: Scenario,
  result: Omit<ScenarioResult, 'passed'>,
  resumed: boolean,
): string[] {
  const failures = [...result.failures];
  const want = scenario.expect;
  const call = result.call;
  const toolNames = result.toolCalls.map((t) => t.name);
  if (!isSubsequence(want.tools, toolNames)) {
    failures.push(
      `tools: expected ${want.tools.join(' > ')} in order, got ${toolNames.join(' > ') || 'none'}`,
    );
  }
  for (const name of want.tools_not_called) {
    if (toolNames.includes(name)) failures.push(`tools: ${name} was called`);
  }
  if (want.states && want.states.join(' > ') !== result.states.join(' > ')) {
    failures.push(`states: expected ${want.states.join(' > ')}, got ${result.states.join(' > ')}`);
  }
  if (want.final_state && call?.state !== want.final_state) {
    failures.push(`final state: expected ${want.final_state}, got ${call?.state ?? 'no call'}`);
  }
  if (want.outcome && call?.outcome !== want.outcome) {
    failures.push(`outcome: expected ${want.outcome}, got ${call?.outcome ?? 'none'}`);
  }
  const text = result.transcript
    .map((l) => l.text)
    .join('\n')
    .toLowerCase();
  for (const phrase of want.transcript_contains) {
    if (!text.includes(phrase.toLowerCase())) failures.push(`transcript: missing "${phrase}"`);
  }
  const stored = want.stored;
  const same = (label: string, expected: string | undefined, actual: string | null | undefined) => {
    if (expected !== undefined && expected !== actual) {
      failures.push(`stored ${label}: expected ${expected}, got ${actual ?? 'nothing'}`);
    }
  };
  same('customer name', stored.customer_name, call?.customerName);
  same('callback number', stored.callback_number, call?.callbackNumber);
  same('vin', stored.vin, call?.vin);
  same('transfer target', stored.transfer_target, call?.transfer.target);
  if (stored.vehicle !== undefined) {
    const v = call?.vehicle;
    same('vehicle', stored.vehicle, v ? [v.year, v.make, v.model].filter(Boolean).join(' ') : null);
  }
  if (
    stored.appointment_booked !== undefined &&
    (call?.appointmentId != null) !== stored.appointment_booked
  ) {
    failures.push(`stored appointment: expected ${stored.appointment_booked ? 'one' : 'none'}`);
  }
  if (want.telephony && want.telephony.join(',') !== result.telephony.join(',')) {
    failures.push(
      `telephony: expected ${want.telephony.join(', ') || 'nothing'}, got ${result.telephony.join(', ') || 'nothing'}`,
    );
  }
  if (want.resumed !== undefined && want.resumed !== resumed) {
    failures.push(`resume: expected the call ${want.resumed ? 'to' : 'not to'} resume`);
  }
  return failures;
}

/**
 * Runs one scenario through the real `voice.AgentSession` in text mode: the caller's turns are
 * scripted, the model is the configured LLM or the scenario's scripted replies, and the call is
 * written to the database like a real call. Returns what happened and what did not match.
 */
export async function runScenario(env: SimulatorEnv, scenario: Scenario): Promise<ScenarioResult> {
  const started = performance.now();
  const now = scenario.now ? new Date(scenario.now) : new Date();
  const tag = `sim_${scenario.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 40)}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await seedPreviousCalls(env.db, scenario, now, tag);
  const telephony = new RecordingTelephony(
    scenario.transfer_result
      ? scenario.transfer_result.ok
        ? { ok: true }
        : {
            ok: false,
            error: scenario.transfer_result.error ?? 'busy',
            sipStatusCode: scenario.transfer_result.sip_status,
          }
      : { ok: true },
  );
  const outputs: ToolOutputs = new Map();
  const scripted = env.liveLlm ? null : new ScriptedLLM(outputs);
  const deps: WorkerDeps = {
    config: env.config,
    db: env.db,
    logger: env.logger,
    metrics: env.metrics,
    telephony,
    transferTargets: env.transferTargets,
    clock: () => now,
    afterCall: env.afterCall,
  };
  const input = {
    roomName: tag,
    channel: scenario.caller.channel,
    callerNumber: scenario.caller.number,
  };
  const failures: string[] = [];
  let resumed = false;
  let closed = false;

  const start = async (): Promise<RunningCall> => {
    const opened = await openCall(deps, input);
    resumed ||= opened.resumed;
    closed = false;
    const running = await runCall(deps, opened, { llm: env.liveLlm ?? (scripted as ScriptedLLM) });
    running.session.on(voice.AgentSessionEventTypes.FunctionToolsExecuted, (event) => {
      for (const [fc, out] of voice.zipFunctionCallsAndOutputs(event)) {
        if (out.isError) continue;
        try {
          outputs.set(fc.name, JSON.parse(out.output));
        } catch {
          outputs.set(fc.name, out.output);
        }
      }
    });
    running.session.on(voice.AgentSessionEventTypes.Close, () => {
      closed = true;
    });
    return running;
  };

  let running = await start();
  let index = 0;
  for (const turn of scenario.turns) {
    index++;
    if ('crash' in turn) {
      await running.crash();
      running = await start();
      continue;
    }
    if (closed) {
      failures.push(`turn ${index}: the call had already ended`);
      break;
    }
    if ('hangup' in turn) {
      await running.session.close();
      continue;
    }
    scripted?.script(turn.replies);
    try {
      await running.session.run({ userInput: turn.user }).wait();
    } catch (error) {
      failures.push(`turn ${index}: ${errorText(error)}`);
    }
    if (scripted && scripted.unused > 0) {
      failures.push(`turn ${index}: ${scripted.unused} scripted repl(ies) not used by the agent`);
    }
  }
  if (!closed) await running.session.close();
  await running.ended;

  const call = await getCall(env.db, running.data.call.id);
  const transitions = call ? await listTransitions(env.db, call.id) : [];
  const partial = {
    name: scenario.name,
    failures,
    call,
    states: ['initializing', ...transitions.map((t) => t.to)],
    transcript: call ? await listTranscript(env.db, call.id) : [],
    toolCalls: call ? await listToolCalls(env.db, call.id) : [],
    telephony: telephony.requests.map((r) => r.kind),
    durationMs: performance.now() - started,
  };
  const all = check(scenario, partial, resumed);
  return { ...partial, failures: all, passed: all.length === 0 };
}
