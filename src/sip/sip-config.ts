import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';

/**
 * `config/sip.yaml`: the inbound trunk, the dispatch rule that sends every caller to our agent,
 * the optional outbound trunk, and the transfer targets. Loaded with line-accurate errors.
 */

export type EnvironmentRecord = Readonly<Record<string, string | undefined>>;

/** Every problem in the file, each as `file:line:col key.path: message`. */
export class SipConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid SIP configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SipConfigError';
  }
}

const E164 = /^\+[1-9]\d{6,14}$/;
const e164 = z.string().regex(E164, 'expected E.164 like +15551234567');

function isIpOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

const ipOrCidr = z
  .string()
  .refine(isIpOrCidr, 'expected an IP address or CIDR range like 203.0.113.0/24');

/** `tel:+15551234567` or `sip:user@host[:port]`: what a SIP REFER can point at. */
const referTarget = z
  .string()
  .regex(
    /^(tel:\+[1-9]\d{6,14}|sips?:[^\s@]+@[^\s@]+)$/,
    'expected tel:+15551234567 or sip:user@host',
  );

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A string that may reference environment variables as `${NAME}`, resolved from `env`. */
function withEnv(env: EnvironmentRecord, inner: z.ZodString = z.string().min(1)) {
  return z
    .string()
    .transform((value, ctx) => {
      const missing: string[] = [];
      const resolved = value.replace(REFERENCE, (_match, name: string) => {
        const found = env[name];
        if (found === undefined || found === '') missing.push(name);
        return found ?? '';
      });
      for (const name of missing) {
        ctx.addIssue({ code: 'custom', message: `environment variable ${name} is not set` });
      }
      return missing.length > 0 ? z.NEVER : resolved;
    })
    .pipe(inner);
}

const seconds = (max: number) => z.number().int().min(0).max(max);

function authSchema(env: EnvironmentRecord) {
  return z.strictObject({
    username: withEnv(env),
    password: withEnv(env, z.string().min(8, 'expected at least 8 characters')),
  });
}

function inboundSchema(env: EnvironmentRecord) {
  return z
    .strictObject({
      name: z.string().min(1).max(64),
      numbers: z.array(e164).min(1, 'list at least one number the carrier sends to LiveKit'),
      allowedAddresses: z.array(ipOrCidr).default([]),
      allowedNumbers: z.array(e164).default([]),
      auth: authSchema(env).optional(),
      mediaEncryption: z.enum(['disable', 'allow', 'require']).default('allow'),
      krisp: z.boolean().default(false),
      headersToAttributes: z.record(z.string(), z.string()).default({}),
      ringingTimeoutSeconds: seconds(300).optional(),
      maxCallDurationSeconds: seconds(86_400).optional(),
    })
    .superRefine((inbound, ctx) => {
      // An open trunk answers INVITEs from anyone on the internet who knows the number.
      if (inbound.allowedAddresses.length === 0 && !inbound.auth) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedAddresses'],
          message: "list the carrier's signalling addresses, or set auth (digest), or both",
        });
      }
    });
}

function dispatchSchema(env: EnvironmentRecord, defaultAgentName: string) {
  return z.strictObject({
    name: z.string().min(1).max(64).optional(),
    roomPrefix: z
      .string()
      .regex(/^[A-Za-z0-9-]*$/, 'expected letters, digits and dashes')
      .default('call'),
    agentName: z
      .string()
      .regex(/^[\w.-]+$/, 'expected letters, digits, dots, dashes and underscores')
      .default(defaultAgentName),
    metadata: z.record(z.string(), z.unknown()).default({}),
    attributes: z.record(z.string(), z.string()).default({}),
    emptyTimeoutSeconds: seconds(3600).default(30),
    departureTimeoutSeconds: seconds(3600).default(20),
    hidePhoneNumber: z.boolean().default(false),
    pin: withEnv(env, z.string().regex(/^\d{4,12}$/, 'expected 4 to 12 digits')).optional(),
  });
}

function outboundSchema(env: EnvironmentRecord) {
  return z.strictObject({
    name: z.string().min(1).max(64),
    address: z
      .string()
      .regex(
        /^[A-Za-z0-9.-]+(:\d{1,5})?$/,
        'expected the carrier host[:port], e.g. example.pstn.twilio.com',
      ),
    transport: z.enum(['auto', 'udp', 'tcp', 'tls']).default('auto'),
    numbers: z.array(e164).min(1, 'list the caller ID number(s) for outgoing calls'),
    auth: authSchema(env).optional(),
    destinationCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected a two-letter country code like US')
      .optional(),
  });
}

function sipFileSchema(env: EnvironmentRecord, defaultAgentName: string) {
  return z.strictObject({
    inbound: inboundSchema(env),
    dispatch: dispatchSchema(env, defaultAgentName).prefault({}),
    outbound: outboundSchema(env).optional(),
    transferTargets: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lowercase name like sales'),
        referTarget,
      )
      .default({}),
  });
}

/** The validated contents of `config/sip.yaml`, secrets resolved. */
export type SipConfig = z.output<ReturnType<typeof sipFileSchema>>;
export type InboundConfig = SipConfig['inbound'];
export type DispatchConfig = SipConfig['dispatch'];
export type OutboundConfig = NonNullable<SipConfig['outbound']>;

export interface SipConfigOptions {
  /** Where `${NAME}` references are looked up (never `process.env` directly). */
  env: EnvironmentRecord;
  /** The agent the dispatch rule sends callers to when the file does not say (config AGENT_NAME). */
  defaultAgentName: string;
  /** Shown in error messages. */
  fileName?: string;
}

type PathKey = PropertyKey;

function formatPath(keys: readonly PathKey[]): string {
  return keys.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

/** The offset of the YAML node at `keys`, or of the nearest ancestor that exists. */
function offsetOf(doc: Document, keys: readonly PathKey[], unknownKey?: string): number {
  for (let depth = keys.length; depth >= 0; depth -= 1) {
    const node = doc.getIn(keys.slice(0, depth), true);
    if (!isNode(node) || !node.range) continue;
    if (unknownKey !== undefined && depth === keys.length && isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === unknownKey,
      );
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    return node.range[0];
  }
  return 0;
}

interface Problem {
  line: number;
  col: number;
  text: string;
}

function issueProblems(doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): Problem[] {
  const at = (keys: readonly PathKey[], text: string, unknownKey?: string): Problem => ({
    ...lines.linePos(offsetOf(doc, keys, unknownKey)),
    text,
  });
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) =>
      at(issue.path, `${formatPath([...issue.path, key])}: unknown key (check the spelling)`, key),
    );
  }
  if (issue.code === 'invalid_key') {
    // A record key failed its own schema: point at the key, say what the key schema said.
    const key = issue.path.at(-1);
    const message = issue.issues[0]?.message ?? issue.message;
    return [at(issue.path.slice(0, -1), `${formatPath(issue.path)}: ${message}`, String(key))];
  }
  return [at(issue.path, `${formatPath(issue.path) || '(file)'}: ${issue.message}`)];
}

function sipConfigError(fileName: string, problems: Problem[]): SipConfigError {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
  return new SipConfigError(sorted.map((p) => `${fileName}:${p.line}:${p.col} ${p.text}`));
}

/** Parses and validates the text of a sip.yaml; throws `SipConfigError` listing every problem. */
export function parseSipConfig(text: string, options: SipConfigOptions): SipConfig {
  const fileName = options.fileName ?? 'sip.yaml';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    // After the first syntax error the parser reports its consequences; the first one is the cause.
    const problems = doc.errors.slice(0, 1).map((error): Problem => {
      const firstLine = error.message.split('\n')[0] ?? error.code;
      // prettyErrors appends " at line L, column C:"; the location is printed in front instead.
      const text = firstLine.replace(/ at line \d+, column \d+:?$/, '');
      return { ...(error.linePos?.[0] ?? { line: 1, col: 1 }), text };
    });
    throw sipConfigError(fileName, problems);
  }
  const result = sipFileSchema(options.env, options.defaultAgentName).safeParse(doc.toJS() ?? {});
  if (!result.success) {
    throw sipConfigError(
      fileName,
      result.error.issues.flatMap((issue) => issueProblems(doc, lines, issue)),
    );
  }
  return result.data;
}

/** Reads and validates a sip.yaml file; errors name the file relative to the working directory. */
export async function loadSipConfig(file: string, options: Omit<SipConfigOptions, 'fileName'>) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SipConfigError([`${file}: cannot read the file (${reason})`]);
  }
  return parseSipConfig(text, { ...options, fileName: path.relative(process.cwd(), file) || file });
}

/** The dispatch rule's name when the file does not give one. */
export function dispatchRuleName(config: SipConfig): string {
  return config.dispatch.name ?? `${config.inbound.name} dispatch`;
}
