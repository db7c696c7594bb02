import type { ScenarioResult } from './run-scenario.js';

function short(value: unknown, max = 140): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A scenario's transcript, tool calls, state path and verdict, as the simulator prints them. */
export function formatResult(result: ScenarioResult, file: string): string {
  const lines = [`=== ${result.name} (${file})`];
  lines.push('Transcript:');
  for (const line of result.transcript) {
    lines.push(
      `  ${line.role === 'user' ? 'Caller' : 'Agent '}: ${line.text}${line.interrupted ? ' [interrupted]' : ''}`,
    );
  }
  lines.push('Tool calls:');
  if (result.toolCalls.length === 0) lines.push('  (none)');
  for (const call of result.toolCalls) {
    const outcome = call.error ? `ERROR ${short(call.error)}` : short(call.output);
    lines.push(`  ${call.name}(${short(call.arguments, 100)}) -> ${outcome}`);
  }
  lines.push(`States: ${result.states.join(' > ')}`);
  lines.push(
    `Outcome: ${result.call?.outcome ?? 'none'}; telephony: ${result.telephony.join(', ') || 'none'}; ${Math.round(result.durationMs)} ms`,
  );
  lines.push(result.passed ? 'PASS' : `FAIL\n${result.failures.map((f) => `  - ${f}`).join('\n')}`);
  return `${lines.join('\n')}\n`;
}
