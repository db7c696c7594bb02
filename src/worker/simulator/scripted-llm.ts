import { voice } from '@livekit/agents';
import type { ScriptedReply } from './scenario.js';

/** Tool outputs seen so far in a scenario, by tool name (the latest wins), for `{{...}}` values. */
export type ToolOutputs = Map<string, unknown>;

function lookupPath(outputs: ToolOutputs, path: string): unknown {
  const [tool, ...keys] = path.split('.');
  let value: unknown = outputs.get(tool ?? '');
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Fills `{{tool_name.path}}` placeholders from earlier tool outputs, the way a model would reuse
 * what a tool returned (e.g. `{{check_availability.slots.0.starts_at}}`).
 */
export function fillPlaceholders<T>(value: T, outputs: ToolOutputs): T {
  if (typeof value === 'string') {
    const whole = /^\{\{([\w.]+)\}\}$/.exec(value);
    if (whole) return (lookupPath(outputs, whole[1]!) ?? value) as T;
    return value.replace(/\{\{([\w.]+)\}\}/g, (match, path: string) => {
      const found = lookupPath(outputs, path);
      return found === undefined ? match : String(found);
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, outputs)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, outputs)]),
    ) as T;
  }
  return value;
}

/**
 * The framework's `FakeLLM`, answering with a scenario's scripted replies in order instead of
 * matching the exact input text: tool outputs (dates, ids) vary between runs, the script does not.
 */
export class ScriptedLLM extends voice.testing.FakeLLM {
  #queue: ScriptedReply[] = [];

  constructor(private readonly outputs: ToolOutputs) {
    super([]);
  }

  /** The replies for the next caller turn. */
  script(replies: readonly ScriptedReply[]): void {
    this.#queue = [...replies];
  }

  /** Replies the turn did not use (the script and the agent disagree). */
  get unused(): number {
    return this.#queue.length;
  }

  override lookup(): voice.testing.FakeLLMResponse | undefined {
    const next = this.#queue.shift();
    if (!next) return undefined;
    return {
      input: '',
      content:
        next.content === undefined ? undefined : fillPlaceholders(next.content, this.outputs),
      toolCalls: next.tool_calls?.map((call) => ({
        name: call.name,
        args: fillPlaceholders(call.args, this.outputs),
      })),
    };
  }
}
