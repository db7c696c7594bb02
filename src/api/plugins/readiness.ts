import fp from 'fastify-plugin';

export type ReadinessCheck = () => Promise<unknown>;

export interface CheckResult {
  /** `skipped`: the dependency is not configured; it does not make the service unready. */
  status: 'ok' | 'down' | 'skipped';
  latencyMs: number;
  error?: string;
  /** Why a check was skipped. */
  reason?: string;
}

export type ReadinessListener = (name: string, result: CheckResult) => void;

export interface ReadinessRegistry {
  /** Registers a dependency check; it fails by throwing or by exceeding the timeout. */
  add(name: string, check: ReadinessCheck): void;
  /** Declares a dependency that is not configured here; reported as `skipped` with the reason. */
  skip(name: string, reason: string): void;
  /** Called with every check result (metrics follow dependency health through this). */
  onResult(listener: ReadinessListener): void;
  run(): Promise<Record<string, CheckResult>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: ReadinessRegistry;
  }
}

/** A check that does not answer within this is reported down. */
export const READINESS_TIMEOUT_MS = 2000;

type Entry = { kind: 'check'; check: ReadinessCheck } | { kind: 'skipped'; reason: string };

async function timed(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

function runEntry(entry: Entry): Promise<CheckResult> {
  if (entry.kind === 'skipped') {
    return Promise.resolve({ status: 'skipped', latencyMs: 0, reason: entry.reason });
  }
  return timed(entry.check, READINESS_TIMEOUT_MS);
}

/** Decorates `fastify.readiness`: other plugins add their dependency checks (database, storage, LiveKit). */
export default fp(
  async (fastify) => {
    const entries = new Map<string, Entry>();
    const listeners: ReadinessListener[] = [];
    const register = (name: string, entry: Entry) => {
      if (entries.has(name)) throw new Error(`readiness check "${name}" registered twice`);
      entries.set(name, entry);
    };
    fastify.decorate('readiness', {
      add: (name, check) => register(name, { kind: 'check', check }),
      skip: (name, reason) => register(name, { kind: 'skipped', reason }),
      onResult: (listener) => void listeners.push(listener),
      async run() {
        const results = await Promise.all(
          [...entries].map(async ([name, entry]) => [name, await runEntry(entry)] as const),
        );
        for (const [name, result] of results) {
          for (const listener of listeners) listener(name, result);
        }
        return Object.fromEntries(results);
      },
    } satisfies ReadinessRegistry);
  },
  { name: 'readiness' },
);
