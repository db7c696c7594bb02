import fp from 'fastify-plugin';

export type ReadinessCheck = () => Promise<unknown>;

export interface CheckResult {
  status: 'ok' | 'down';
  latencyMs: number;
  error?: string;
}

export interface ReadinessRegistry {
  /** Registers a dependency check; it fails by throwing or by exceeding the timeout. */
  add(name: string, check: ReadinessCheck): void;
  run(): Promise<Record<string, CheckResult>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: ReadinessRegistry;
  }
}

/** A check that does not answer within this is reported down. */
export const READINESS_TIMEOUT_MS = 2000;

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

/** Decorates `fastify.readiness`: other plugins add their dependency checks (database, storage, LiveKit). */
export default fp(
  async (fastify) => {
    const checks = new Map<string, ReadinessCheck>();
    fastify.decorate('readiness', {
      add(name, check) {
        if (checks.has(name)) throw new Error(`readiness check "${name}" registered twice`);
        checks.set(name, check);
      },
      async run() {
        const entries = await Promise.all(
          [...checks].map(
            async ([name, check]) => [name, await timed(check, READINESS_TIMEOUT_MS)] as const,
          ),
        );
        return Object.fromEntries(entries);
      },
    } satisfies ReadinessRegistry);
  },
  { name: 'readiness' },
);
