import { llm, voice } from '@livekit/agents';
import type { Call } from '../../calls/call.js';
import type { CallFacts } from '../../calls/call-tracker.js';
import type { Config } from '../../config/index.js';
import type { CallData } from '../call-data.js';
import {
  dealershipInstructions,
  resumeContext,
  returningCallerContext,
} from './dealership-instructions.js';
import { bookAppointmentTool, checkAvailability } from './tools/appointment-tools.js';
import { endCall, transferToHuman } from './tools/call-control-tools.js';
import { recordCallbackNumber, recordCustomerName } from './tools/customer-tools.js';
import { answerFromKnowledgeBase } from './tools/knowledge-tools.js';
import { lookupVehicleTool, searchInventoryTool } from './tools/vehicle-tools.js';
import { vinTools } from './tools/vin-tools.js';

/** Every tool of the dealership agent. */
export const dealershipTools = [
  ...vinTools,
  lookupVehicleTool,
  searchInventoryTool,
  recordCustomerName,
  recordCallbackNumber,
  checkAvailability,
  bookAppointmentTool,
  answerFromKnowledgeBase,
  transferToHuman,
  endCall,
];

export interface DealershipAgentOptions {
  config: Config;
  now: Date;
  /** Earlier calls from the caller's number, most recent first. */
  previousCalls?: readonly Call[];
  /** Set when the call resumes after the worker was cut off. */
  resume?: {
    facts: CallFacts;
    history: readonly { id: string; role: 'user' | 'assistant'; text: string }[];
  };
}

/**
 * The dealership's phone agent: instructions, tools and (on resume) the conversation so far.
 * Tests and the simulator build it exactly as the worker does.
 */
export function createDealershipAgent(options: DealershipAgentOptions): voice.Agent<CallData> {
  const parts = [dealershipInstructions(options.config, options.now)];
  const returning = returningCallerContext(options.previousCalls ?? []);
  if (returning) parts.push(returning);
  if (options.resume) parts.push(resumeContext(options.resume.facts));
  const chatCtx = llm.ChatContext.empty();
  for (const line of options.resume?.history ?? []) {
    chatCtx.addMessage({ id: line.id, role: line.role, content: line.text });
  }
  return new voice.Agent<CallData>({
    instructions: parts.join('\n\n'),
    tools: dealershipTools,
    chatCtx,
  });
}
