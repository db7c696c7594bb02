import { llm } from '@livekit/agents';
import type { z } from 'zod';
import { errorText, type CallData } from '../../call-data.js';

type ZodObject = z.ZodObject<z.ZodRawShape>;

/**
 * `llm.tool` for our agent, with the bookkeeping every tool needs: it times the call (stored with
 * the tool call row) and logs unexpected failures with the arguments only under `pii`. A
 * `llm.ToolError` goes to the model as the message the caller may hear; anything else becomes the
 * framework's generic tool error (never internals).
 */
export function defineTool<Schema extends ZodObject, Result>(definition: {
  name: string;
  description: string;
  parameters: Schema;
  execute: (args: z.infer<Schema>, options: llm.ToolOptions<CallData>) => Promise<Result>;
}) {
  return llm.tool({
    name: definition.name,
    description: definition.description,
    parameters: definition.parameters,
    execute: async (args, options: llm.ToolOptions<CallData>) => {
      const data = options.ctx.userData;
      const started = performance.now();
      const startedAt = data.clock().toISOString();
      try {
        return await definition.execute(args as z.infer<Schema>, options);
      } catch (error) {
        if (!(error instanceof llm.ToolError)) {
          data.logger.error(
            { tool: definition.name, err: errorText(error), pii: { arguments: args } },
            'tool failed unexpectedly',
          );
        }
        throw error;
      } finally {
        data.toolTimings.set(options.toolCallId, {
          startedAt,
          durationMs: performance.now() - started,
        });
      }
    },
  });
}
