import { loadConfigOrExit, processEnvironment } from '../config/index.js';
import { runSipCommand } from './sip-command.js';

/** `npm run sip -- provision|status|teardown|check [--file config/sip.yaml] [--dry-run]`. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  process.exitCode = await runSipCommand(process.argv.slice(2), {
    config,
    env: processEnvironment(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`sip failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
