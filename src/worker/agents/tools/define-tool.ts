import { llm } from '@livekit/agents';
import type { z } from 'zod';
import { isRetryableDbError } from '../../../calls/write-queue.js';
import { errorText, type CallData } from '../../call-data.js';

/** What the model hears when a tool needs the database and it is not answering. */
export const DATABASE_UNAVAILABLE =
  'Our system is not answering right now. Say you cannot look that up at the moment, and offer to try again in a minute or to take a callback number.';

type ZodObject = z.ZodObject<z.ZodRawShape>;

/**
 * `llm.tool` for our agent, with the bookkeeping every tool needs: it times the call (stored with
 * the tool call row) and logs unexpected failures with the arguments only under `pii`. A
 * `llm.ToolError` goes to the model as the message the caller may hear; a database that is not
 * answering becomes one too (the caller hears the system is down, not an invented answer); anything
 * else becomes the framework's generic tool error (never internals).
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
        // The generic tool error would leave the model guessing; an outage is worth saying so.
        if (isRetryableDbError(error)) throw new llm.ToolError(DATABASE_UNAVAILABLE);
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
