import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { captureLogs } from '../../../../test/helpers/log-capture.js';
import type { CallData } from '../../call-data.js';
import { DATABASE_UNAVAILABLE, defineTool } from './define-tool.js';

function toolThrowing(error: unknown) {
  return defineTool({
    name: 'look_something_up',
    description: 'test tool',
    parameters: z.object({}),
    execute: async () => {
      throw error;
    },
  });
}

function run(tool: ReturnType<typeof toolThrowing>) {
  const userData = {
    clock: () => new Date('2026-11-21T15:00:00Z'),
    logger: captureLogs().logger,
    toolTimings: new Map(),
  } as unknown as CallData;
  const options = {
    ctx: { userData },
    toolCallId: 'call_1',
    abortSignal: new AbortController().signal,
  } as unknown as llm.ToolOptions<CallData>;
  return tool.execute({}, options);
}

describe('defineTool', () => {
  it('tells the model the system is down when the database is not answering', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const outcome = run(toolThrowing(refused));
    await expect(outcome).rejects.toBeInstanceOf(llm.ToolError);
    await expect(outcome).rejects.toThrow(DATABASE_UNAVAILABLE);
  });

  it('keeps other failures away from the model', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'vin')");
    await expect(run(toolThrowing(bug))).rejects.toBe(bug);
  });
});
