/**
 * What `bench/turn.ts` runs: the production configuration, and the scripted call it replays, a
 * caller asking about a car they saw online. Five turns are plain replies, seven make the model
 * call our tools (name, spoken VIN over two turns, confirmation and inventory match, inventory
 * search, the dealership FAQ, the callback number), the way a dealership call goes.
 */
import path from 'node:path';
import { type Config, parseConfig, PROJECT_ROOT } from '../src/config/index.js';
import type { ScriptedReply } from '../src/worker/simulator/scenario.js';

/** The production configuration, on a fresh data directory (its SQLite file and logs). */
export function benchConfig(dataDir: string): Config {
  return parseConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.join(PROJECT_ROOT, 'config', 'knowledge'),
    SEED_INVENTORY: 'false',
    LOG_FORMAT: 'json',
    // No audio in text mode: the recorder would have nothing to record.
    RECORDING_MODE: 'off',
  });
}

/** A 2025 Toyota RAV4 XLE of the seed inventory (config/seed/vehicles.csv). */
export const BENCH_VIN = '2T3P1RFVXSC539440';

export interface ScriptedTurn {
  /** What the caller says (the session's text input). */
  user: string;
  /** The model's replies in order: a tool-call reply is followed by the reply after the tools. */
  replies: ScriptedReply[];
}

const say = (content: string): ScriptedReply => ({ content });
const call = (name: string, args: Record<string, unknown>): ScriptedReply => ({
  tool_calls: [{ name, args }],
});

export const CALL_SCRIPT: readonly ScriptedTurn[] = [
  {
    user: 'Hi, I saw a car on your website and wanted to ask a couple of questions about it.',
    replies: [say('Happy to help. Do you have the VIN handy, or the year, make and model?')],
  },
  {
    user: 'Sure. My name is Dana Reyes, by the way.',
    replies: [
      call('record_customer_name', { name: 'Dana Reyes' }),
      say('Thanks, Dana. Go ahead with the VIN whenever you are ready.'),
    ],
  },
  {
    user: 'It starts two T three P one R F V X',
    replies: [
      call('capture_vin', { heard: 'two T three P one R F V X' }),
      say('Got it, two T three, P one R, F V X. What comes next?'),
    ],
  },
  {
    user: 'then S C five three nine four four zero',
    replies: [
      call('capture_vin', { heard: 'S C five three nine four four zero' }),
      say(
        'I have two T three, P one R, F V X, S C five, three nine four, four zero. That reads as a 2025 Toyota. Is that right?',
      ),
    ],
  },
  {
    user: "Yes, that's right.",
    replies: [
      call('confirm_vin', { caller_confirmed: true }),
      say(
        'Thanks. That is the 2025 Toyota RAV4 XLE in silver, and it is available on our main lot for 26,595 dollars.',
      ),
    ],
  },
  {
    user: 'How many miles does it have on it?',
    replies: [say('It shows 12,906 miles.')],
  },
  {
    user: 'Is the price negotiable at all?',
    replies: [
      say(
        'Pricing is something our sales team can go over with you. I can have someone call you back.',
      ),
    ],
  },
  {
    user: 'Do you have any other SUVs under thirty thousand?',
    replies: [
      call('search_inventory', { body: 'suv', price_max_usd: 30_000 }),
      say('Yes, we have a few, including a 2024 Mazda CX-30 and a 2021 Ford Escape.'),
    ],
  },
  {
    user: 'What time are you open on Saturday?',
    replies: [
      call('answer_from_knowledge_base', { question: 'opening hours on Saturday' }),
      say('On Saturdays the showroom is open from nine to five.'),
    ],
  },
  {
    user: 'Okay. Can someone from sales call me back on this number?',
    replies: [
      call('record_callback_number', {}),
      say('Of course. I saved the number you are calling from for a callback.'),
    ],
  },
  {
    user: 'Great, thank you.',
    replies: [say('You are welcome. Is there anything else I can help with?')],
  },
  {
    user: "No, that's all for now.",
    replies: [say('Thanks for calling, Dana. Have a great day.')],
  },
];

/** Whether the turn makes the model call a tool. */
export const usesTools = (turn: ScriptedTurn): boolean =>
  turn.replies.some((reply) => (reply.tool_calls?.length ?? 0) > 0);
