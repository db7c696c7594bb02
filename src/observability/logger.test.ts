import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/index.js';
import { callLogger, createLogger } from './logger.js';

/** A logger writing JSON lines into an array. */
function capture(env: Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger(parseConfig({ LOG_LEVEL: 'info', ...env }), { destination });
  return { logger, lines };
}

// A child process so the format follows the real stdout (a pipe here; a pty through `script`).
const LOG_ONE_LINE = [
  "import { createLogger } from './src/observability/logger.ts';",
  "const logger = createLogger({ log: { level: 'info', format: 'auto', pii: false } });",
  "logger.info({ callId: 'call-7' }, 'call answered');",
].join('\n');

function logFromChild(viaTerminal: boolean): string {
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', LOG_ONE_LINE];
  const quoted = node.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const result = viaTerminal
    ? spawnSync('script', ['-qec', quoted, '/dev/null'], { encoding: 'utf8', timeout: 15_000 })
    : spawnSync(node[0] as string, node.slice(1), { encoding: 'utf8', timeout: 15_000 });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('createLogger', () => {
  it('stamps the call id on every line of a call-scoped logger', () => {
    const { logger, lines } = capture({});
    const log = callLogger(logger, 'call-42', { component: 'agent' });
    log.info('greeting played');
    log.warn({ tool: 'lookup_vehicle' }, 'tool failed');
    log.child({ turn: 3 }).info('turn ended');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatchObject({ callId: 'call-42', component: 'agent' });
  });

  it('redacts everything under pii keys when LOG_PII=false', () => {
    const { logger, lines } = capture({ LOG_PII: 'false' });
    logger.info({ callId: 'c', pii: { phone: '+15550100' } }, 'caller identified');
    logger.info({ tool: { name: 'lookup_vehicle', pii: { vin: '1HGCM82633A004352' } } }, 'tool');
    expect(lines[0]).toMatchObject({ callId: 'c', pii: '[redacted]', msg: 'caller identified' });
    expect(lines[1]).toMatchObject({ tool: { name: 'lookup_vehicle', pii: '[redacted]' } });
    expect(JSON.stringify(lines)).not.toMatch(/15550100|1HGCM82633A004352/);
  });

  it('keeps pii outside production unless told otherwise, and drops it in production', () => {
    const development = capture({});
    development.logger.info({ pii: { phone: '+15550100' } }, 'caller identified');
    expect(development.lines[0]).toMatchObject({ pii: { phone: '+15550100' } });

    const production = capture({ NODE_ENV: 'production' });
    production.logger.info({ pii: { phone: '+15550100' } }, 'caller identified');
    expect(production.lines[0]).toMatchObject({ pii: '[redacted]' });
  });

  it('never writes secrets', () => {
    const { logger, lines } = capture({});
    logger.info({ livekit: { apiSecret: 's3cr3t' }, password: 'hunter2' }, 'settings');
    expect(JSON.stringify(lines)).not.toMatch(/s3cr3t|hunter2/);
  });

  it('writes JSON lines when stdout is not a terminal', () => {
    const line = JSON.parse(logFromChild(false).trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, callId: 'call-7', msg: 'call answered' });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('writes pretty lines in a terminal', () => {
    const output = logFromChild(true);
    expect(output).toContain('call answered');
    expect(output).toMatch(/INFO/);
    expect(() => JSON.parse(output.trim())).toThrow();
  });
});
