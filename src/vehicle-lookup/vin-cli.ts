/**
 * VIN command line.
 *
 *   npm run --silent vin -- extract          one utterance per stdin line -> one JSON object per line
 *   npm run --silent vin -- decode <VIN>     pretty JSON decode; exit 0 valid, 2 invalid
 *
 * Exit 64 (EX_USAGE) with a usage line on stderr for anything else.
 */
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractVin } from './spoken-vin.js';
import { decodeVin } from './vin-decoder.js';

const USAGE = 'usage: vin extract < utterances.txt | vin decode <VIN>';
const EX_USAGE = 64;

/** Streams stdin lines through extractVin; one `{"vin","status","candidates"}` line per input line. */
export async function runExtract(input: Readable, output: Writable): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    const r = line.trim() === '' ? { vin: null, status: 'none', candidates: [] } : extractVin(line);
    // Exactly these keys, in this order: the acceptance check compares lines verbatim.
    const json = JSON.stringify({ vin: r.vin, status: r.status, candidates: r.candidates });
    if (!output.write(`${json}\n`)) await once(output, 'drain');
  }
}

/** Runs the CLI and returns the exit code. */
export async function main(
  argv: readonly string[],
  io: { stdin: Readable; stdout: Writable; stderr: Writable },
): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {},
    }));
  } catch {
    io.stderr.write(`${USAGE}\n`);
    return EX_USAGE;
  }
  const [command, ...rest] = positionals;
  if (command === 'extract' && rest.length === 0) {
    await runExtract(io.stdin, io.stdout);
    return 0;
  }
  if (command === 'decode' && rest.length === 1 && rest[0] !== undefined) {
    const decoded = decodeVin(rest[0]);
    io.stdout.write(`${JSON.stringify(decoded, null, 2)}\n`);
    return decoded.valid ? 0 : 2;
  }
  io.stderr.write(`${USAGE}\n`);
  return EX_USAGE;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Run only when executed directly; tests import main().
if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
