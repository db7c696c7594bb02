/** Targeted follow-up questions for a VIN that was not captured cleanly. */
import { ordinal, spellCharacter, spellVinForSpeech } from './vin-speech.js';

/** A choice the agent asks the caller about: one position and the characters it could be. */
export interface PendingChoice {
  /** 1-based VIN position. */
  position: number;
  options: string[];
  candidates: string[];
}

function differingPositions(a: string, b: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

/**
 * Picks what to ask: the position the most likely candidate changes (or, without a heard reading,
 * the first position where candidates disagree), offering every candidate's character there and
 * the character that was heard.
 */
export function chooseQuestion(
  heard: string | null,
  candidates: readonly string[],
): PendingChoice | null {
  const [top, ...rest] = candidates;
  if (top === undefined) return null;
  const reference = heard ?? rest.find((c) => c !== top);
  if (reference === undefined) return null;
  const at = differingPositions(reference, top)[0];
  if (at === undefined) return null;
  const options: string[] = [];
  for (const c of candidates) {
    const ch = c.charAt(at);
    if (!options.includes(ch)) options.push(ch);
  }
  // Always offer what was heard too: a bare "yes" to "Was it X?" is too easy to say by mistake.
  const heardCh = heard?.charAt(at);
  if (heardCh !== undefined && heardCh !== '' && !options.includes(heardCh)) options.push(heardCh);
  return { position: at + 1, options, candidates: [...candidates] };
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The words for a pending choice: "Was the 5th character B as in bravo or D as in delta?" */
export function choiceQuestion(choice: PendingChoice): string {
  const shown = choice.options.slice(0, 3).map(spellCharacter);
  const more = choice.options.length > 3 ? ', or something else' : '';
  return `Was the ${ordinal(choice.position)} character ${joinOr(shown)}${more}?`;
}

/** Read-back for a VIN that checks out. */
export function readBackQuestion(vin: string): string {
  return `Let me read that back: ${spellVinForSpeech(vin)}. Is that right?`;
}

/** Prompt when characters are still missing. */
export function continueQuestion(collected: string): string {
  if (collected.length === 0) {
    return "Could you read me the 17-character VIN? It's on the dashboard by the windshield, driver's side, or on the driver's door jamb.";
  }
  const tail = spellVinForSpeech(collected.slice(-3));
  return `I have ${collected.length} of 17 characters so far, ending ${tail}. What comes next?`;
}

/** Prompt when 17 characters were heard but they do not make a VIN. */
export const REREAD_QUESTION =
  "That VIN doesn't check out. Could you read it to me again, three characters at a time?";

/** Prompt when more than 17 characters were heard and no reading is certain. */
export const TOO_LONG_QUESTION =
  'I heard more than 17 characters. Could you read the VIN again, three characters at a time?';
