import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SIPDispatchRuleInfo, SipClient } from 'livekit-server-sdk';
import type { Config } from '../config/index.js';
import { createLiveKitClients, LiveKitNotConfiguredError } from './livekit-clients.js';
import { describeLiveKitError } from './livekit-errors.js';
import { formatChange, provisionSip, teardownSip } from './provisioning.js';
import { managedRole } from './sip-resources.js';
import { loadSipConfig, SipConfigError, type EnvironmentRecord } from './sip-config.js';

export const SIP_USAGE = `Usage: npm run sip -- <command> [--file config/sip.yaml] [--dry-run]

Commands:
  check      validate the file (no LiveKit needed)
  provision  create or update the inbound trunk, the dispatch rule and the outbound trunk
  status     list the SIP trunks and dispatch rules LiveKit has
  teardown   delete the trunks and rules provision created (nothing else)`;

export interface SipCommandDeps {
  config: Config;
  /** Where `${NAME}` references in the file are resolved. */
  env: EnvironmentRecord;
  out(line: string): void;
  err(line: string): void;
  /** Tests pass a client; otherwise one is built from the config. */
  sip?: SipClient;
}

const COMMANDS = ['check', 'provision', 'status', 'teardown'] as const;
type Command = (typeof COMMANDS)[number];

class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help) return null;
  if (!command || !(COMMANDS as readonly string[]).includes(command) || rest.length > 0) {
    throw new UsageError(
      command ? `unknown command "${[command, ...rest].join(' ')}"` : 'no command',
    );
  }
  return {
    command: command as Command,
    file: parsed.values.file,
    dryRun: parsed.values['dry-run'],
  };
}

function trunkLine(
  t: { sipTrunkId: string; name: string; numbers: string[]; metadata: string },
  extra = '',
) {
  const role = managedRole(t.metadata);
  return `  ${t.sipTrunkId}  ${t.name}  numbers ${t.numbers.join(',') || '(any)'}${extra}${role ? '  [ours]' : ''}`;
}

function ruleLine(r: SIPDispatchRuleInfo) {
  const rule = r.rule?.rule;
  const kind = rule?.case ? rule.case.replace('dispatchRule', '').toLowerCase() : 'unknown';
  const agents = r.roomConfig?.agents.map((a) => a.agentName).join(',') || '(none)';
  const trunks = r.trunkIds.join(',') || '(all)';
  const ours = managedRole(r.metadata) ? '  [ours]' : '';
  return `  ${r.sipDispatchRuleId}  ${r.name}  ${kind}  trunks ${trunks}  agents ${agents}${ours}`;
}

async function printStatus(sip: SipClient, out: (line: string) => void): Promise<void> {
  const [inbound, outbound, rules] = await Promise.all([
    sip.listSipInboundTrunk(),
    sip.listSipOutboundTrunk(),
    sip.listSipDispatchRule(),
  ]);
  out('inbound trunks:');
  for (const t of inbound) out(trunkLine(t));
  if (inbound.length === 0) out('  (none)');
  out('outbound trunks:');
  for (const t of outbound) out(trunkLine(t, `  via ${t.address}`));
  if (outbound.length === 0) out('  (none)');
  out('dispatch rules:');
  for (const r of rules) out(ruleLine(r));
  if (rules.length === 0) out('  (none)');
}

async function run(command: Command, file: string, dryRun: boolean, deps: SipCommandDeps) {
  const { config } = deps;
  const load = () =>
    loadSipConfig(file, { env: deps.env, defaultAgentName: config.livekit.agentName });
  if (command === 'check') {
    await load();
    deps.out(`${path.relative(process.cwd(), file) || file} is valid`);
    return;
  }
  // The file is checked before LiveKit is contacted, so a typo never half-provisions.
  const sipConfig = command === 'provision' ? await load() : undefined;
  const sip = deps.sip ?? createLiveKitClients(config.livekit).sip;
  if (command === 'status') return printStatus(sip, deps.out);
  const changes = sipConfig
    ? await provisionSip(sip, sipConfig, { fingerprintKey: config.livekit.apiSecret ?? '', dryRun })
    : await teardownSip(sip, { dryRun });
  for (const change of changes) deps.out(formatChange(change, dryRun));
  if (changes.length === 0) deps.out('nothing to do');
}

/** Runs `sip <command>`; returns the exit code (0 done, 1 failed, 2 wrong usage). */
export async function runSipCommand(argv: string[], deps: SipCommandDeps): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    if (!parsed) {
      deps.out(SIP_USAGE);
      return 0;
    }
    const file = path.resolve(parsed.file ?? deps.config.telephony.sipConfigFile);
    await run(parsed.command, file, parsed.dryRun, deps);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      deps.err(`${error.message}\n\n${SIP_USAGE}`);
      return 2;
    }
    if (error instanceof SipConfigError || error instanceof LiveKitNotConfiguredError) {
      deps.err(error.message);
      return 1;
    }
    deps.err(describeLiveKitError(error));
    return 1;
  }
}
