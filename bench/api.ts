/**
 * Vehicle API throughput against its ceiling (issue 8, section 1).
 *
 *   npm run bench:api                         # 50 connections, 10 s per run, SQLite + PostgreSQL
 *   npm run bench:api -- --duration 3         # smoke run
 *   npm run bench:api -- --profile --only lookup   # CPU profile of the API per run (slower)
 *
 * Builds (or reuses, from data/bench/) a 1,000,000-vehicle inventory, starts our API (buildApp,
 * production config, public rate limit raised so one client address is not cut off) and a bare
 * Fastify constant route, each in its own process, and loads them with autocannon from a third
 * process, alternating ceiling and target runs so that drift affects both. Options:
 *   --duration S, --connections N, --warmup S, --rows N
 *   --only lookup,list          routes to load (default both)
 *   --postgres URL | --no-postgres   (default postgres://postgres@127.0.0.1:5432/test, if reachable)
 *   --keep-postgres             keep the bench_api schema for the next run (default: dropped)
 *   --no-limit-run              skip the run with the production rate limit (600/min per client)
 *   --no-anchors                skip the anchors: a bare route reading one row by primary key,
 *                               through a raw prepared statement and through Kysely
 *   --pin                       servers on CPU 1, load generator on CPU 0 (taskset)
 *   --profile                   write a CPU profile of the API per run, print where time goes
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/paths.js';
import {
  CACHE_DIR,
  dropPostgresInventory,
  postgresInventory,
  postgresReachable,
  sampleRequests,
  sqliteInventory,
} from './api-inventory.js';
import { type BenchChild, startChild } from './lib/child-process.js';
import { CORES, cpuMeter } from './lib/cpu-usage.js';
import {
  GOAL_P99_MS,
  GOAL_RATIO,
  type Measured,
  profileTables,
  resultsTable,
} from './api-report.js';
import { type LoadSpec, LoadGenerator } from './lib/load.js';
import { formatNumber } from './lib/table.js';

/** Share of lookups for VINs the dealership does not stock. */
const UNKNOWN_SHARE = 0.1;
const KNOWN_VINS = 45_000;
/** High enough that one client address is never limited: the limiter still counts every request. */
const RAISED_RATE_LIMIT = 1_000_000_000;

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
    rows: { type: 'string', default: '1000000' },
    only: { type: 'string', default: 'lookup,list' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'no-postgres': { type: 'boolean', default: false },
    'keep-postgres': { type: 'boolean', default: false },
    'no-limit-run': { type: 'boolean', default: false },
    'no-anchors': { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const durationS = Number(options.duration);
const connections = Number(options.connections);
const warmupS = Number(options.warmup);
const rows = Number(options.rows);
const routes = options.only.split(',').map((r) => r.trim());

type Route = 'lookup' | 'list' | 'anchorRaw' | 'anchorKysely';
interface Server {
  name: string;
  child: BenchChild;
  url: string;
}
interface Target {
  label: string;
  server: Server;
  route: Route;
  /** False for anchors and the production-rate-limit run (it measures how fast 429s go out). */
  judged: boolean;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const serverScript = fileURLToPath(new URL('./api-server.ts', import.meta.url));
const serverCpus = options.pin ? '1' : undefined;

async function startServer(name: string, args: string[]): Promise<Server> {
  const child = await startChild(serverScript, { args, cpus: serverCpus });
  return { name, child, url: `http://127.0.0.1:${String(child.ready.port)}` };
}

function shuffle<T>(items: T[]): T[] {
  let state = 42;
  for (let i = items.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** What each run sends: for a server URL, the load spec of each route and of the ceiling. */
function specs(sample: ReturnType<typeof sampleRequests>) {
  const vins = shuffle([...sample.known, ...sample.unknown]);
  // Makes as clients send them: as stored, lower case, and an alias.
  const makes = sample.makes.flatMap(({ make }) => [make, make.toLowerCase()]);
  makes.push('chevy', 'vw');
  const get =
    (paths: string[]) =>
    (url: string): LoadSpec => ({
      url,
      method: 'GET',
      variants: paths.map((route) => ({ path: route })),
      connections,
      durationS,
    });
  return {
    lookup: (url: string): LoadSpec => ({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      variants: vins.map((vin) => ({ path: '/api/lookup-vehicle', body: JSON.stringify({ vin }) })),
      connections,
      durationS,
    }),
    list: get(shuffle(makes.map((m) => `/api/vehicles?make=${encodeURIComponent(m)}&limit=20`))),
    anchorRaw: get(sample.ids.map((id) => `/raw/${id}`)),
    anchorKysely: get(sample.ids.map((id) => `/kysely/${id}`)),
    ceiling: get(['/']),
  };
}

/** One request of each kind, checked, before anything is measured. */
async function check(target: Target, sample: ReturnType<typeof sampleRequests>): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`${target.label}: ${what}`);
  };
  if (target.route === 'lookup') {
    for (const [vin, stocked] of [
      [sample.known[0], true],
      [sample.unknown[0], false],
    ] as const) {
      const response = await fetch(`${target.server.url}/api/lookup-vehicle`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ vin }),
      });
      const body = (await response.json()) as { inInventory?: boolean };
      if (response.status !== 200 || body.inInventory !== stocked) {
        fail(`lookup of ${vin} answered ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      }
    }
  } else {
    const make = sample.makes[0]?.make ?? 'Ford';
    const response = await fetch(`${target.server.url}/api/vehicles?make=${make}&limit=20`);
    const body = (await response.json()) as { items?: { make: string }[] };
    if (response.status !== 200 || body.items?.length !== 20 || body.items[0]?.make !== make) {
      fail(`list of ${make} answered ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  }
}

async function main(): Promise<void> {
  log(`# bench:api  ${new Date().toISOString()}`);
  log(
    `machine: ${CORES} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; Node ${process.version}`,
  );

  let started = performance.now();
  const sqlite = await sqliteInventory(rows);
  log(
    `SQLite inventory: ${formatNumber(rows)} vehicles, ${sqlite.built ? 'built' : 'cached'} in ${formatNumber(
      (performance.now() - started) / 1000,
      1,
    )} s (${path.relative(PROJECT_ROOT, sqlite.file)})`,
  );
  const pgUrl =
    !options['no-postgres'] && (await postgresReachable(options.postgres))
      ? options.postgres
      : null;
  let pgInventory: { url: string } | null = null;
  if (pgUrl) {
    started = performance.now();
    const built = await postgresInventory(pgUrl, rows);
    pgInventory = built;
    log(
      `PostgreSQL inventory: schema bench_api, ${built.built ? 'built' : 'reused'} in ${formatNumber(
        (performance.now() - started) / 1000,
        1,
      )} s`,
    );
  } else {
    log(
      `PostgreSQL: ${options['no-postgres'] ? 'skipped (--no-postgres)' : 'not reachable, skipped'}`,
    );
  }

  const unknownCount = Math.round((KNOWN_VINS * UNKNOWN_SHARE) / (1 - UNKNOWN_SHARE));
  const sample = sampleRequests(sqlite.file, KNOWN_VINS, unknownCount);
  const make = specs(sample);

  const servers: Server[] = [];
  let generator: LoadGenerator | undefined;
  const cleanUp = async () => {
    await generator?.stop();
    for (const server of servers) await server.child.stop();
    if (pgUrl && !options['keep-postgres']) await dropPostgresInventory(pgUrl);
  };
  // Ctrl-C: the children notice the parent is gone, but the PostgreSQL schema would stay.
  process.once('SIGINT', () => {
    log('\ninterrupted: stopping servers and cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });
  try {
    const ceiling = await startServer('ceiling', ['ceiling']);
    servers.push(ceiling);
    const apiSqlite = await startServer('api (SQLite)', [
      'api',
      sqlite.file,
      `PUBLIC_RATE_LIMIT_PER_MINUTE=${RAISED_RATE_LIMIT}`,
    ]);
    servers.push(apiSqlite);
    const targets: Target[] = [];
    if (!options['no-anchors']) {
      const anchors = await startServer('anchors', ['anchors', sqlite.file]);
      servers.push(anchors);
      targets.push(
        {
          label: 'anchor: PK lookup, raw prepared',
          server: anchors,
          route: 'anchorRaw',
          judged: false,
        },
        {
          label: 'anchor: PK lookup, Kysely',
          server: anchors,
          route: 'anchorKysely',
          judged: false,
        },
      );
    }
    for (const route of routes as Route[]) {
      targets.push({ label: `${route} SQLite`, server: apiSqlite, route, judged: true });
    }
    if (pgInventory) {
      const apiPg = await startServer('api (PostgreSQL)', [
        'api',
        pgInventory.url,
        `PUBLIC_RATE_LIMIT_PER_MINUTE=${RAISED_RATE_LIMIT}`,
      ]);
      servers.push(apiPg);
      for (const route of routes as Route[]) {
        targets.push({ label: `${route} PostgreSQL`, server: apiPg, route, judged: true });
      }
    }
    if (!options['no-limit-run'] && routes.includes('lookup')) {
      // The production default: after 600 requests a minute, one client address gets 429s.
      const limited = await startServer('api (SQLite, production rate limit)', [
        'api',
        sqlite.file,
      ]);
      servers.push(limited);
      targets.push({
        label: 'lookup SQLite, limit 600/min (429s)',
        server: limited,
        route: 'lookup',
        judged: false,
      });
    }
    for (const target of targets) if (target.judged) await check(target, sample);
    generator = await LoadGenerator.start({ cpus: options.pin ? '0' : undefined });

    log(
      `servers: one Node process each (one event loop), ${
        options.pin
          ? 'pinned to CPU 1; load generator pinned to CPU 0'
          : 'unpinned; the load generator runs in its own process'
      }; ${CORES} cores shared by server, load generator${pgUrl ? ', PostgreSQL' : ''} and anything else running.`,
    );
    log(
      `load: autocannon, ${connections} connections, ${durationS} s per run, ${warmupS} s warm-up per target`,
    );
    if (options.profile)
      log('profiling: the API runs slower while profiled; the figures below are not comparable.');

    const specFor = (target: Target) => make[target.route](target.server.url);
    if (warmupS > 0) {
      await generator.run({ ...make.ceiling(ceiling.url), durationS: warmupS });
      for (const target of targets) await generator.run({ ...specFor(target), durationS: warmupS });
    }

    const profileDir = path.join(CACHE_DIR, 'profiles');
    if (options.profile) mkdirSync(profileDir, { recursive: true });
    const measured: Measured[] = [];
    const measure = async (
      kind: Measured['kind'],
      label: string,
      server: Server,
      spec: LoadSpec,
      target?: Target,
    ) => {
      const profileFile = path.join(profileDir, `${label.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
      const profiling = options.profile && kind === 'target';
      if (profiling) await server.child.request({ type: 'profile-start' }, 'profiling');
      const meter = cpuMeter({ server: server.child.pid, generator: generator?.pid ?? 0 });
      const result = await (generator as LoadGenerator).run(spec);
      const usage = meter.stop();
      if (profiling)
        await server.child.request({ type: 'profile-stop', file: profileFile }, 'profiled');
      measured.push({
        kind,
        label,
        judged: target?.judged ?? false,
        result,
        cpu: {
          server: usage.processes.server ?? null,
          generator: usage.processes.generator ?? null,
          machine: usage.machine,
        },
      });
      log(
        `  ${label}: ${formatNumber(result.requestsPerSecond)} req/s, p50 ${formatNumber(result.p50Ms, 2)} ms, p99 ${formatNumber(result.p99Ms, 2)} ms`,
      );
      return profiling ? profileFile : null;
    };

    const profiles: [string, string][] = [];
    await measure('ceiling', 'ceiling', ceiling, make.ceiling(ceiling.url));
    for (const target of targets) {
      const file = await measure('target', target.label, target.server, specFor(target), target);
      if (file) profiles.push([target.label, file]);
      await measure('ceiling', 'ceiling', ceiling, make.ceiling(ceiling.url));
    }

    log(
      `\n## Results (goal: >= ${GOAL_RATIO * 100}% of the ceiling's req/s and p99 <= ${GOAL_P99_MS} ms)\n`,
    );
    log(resultsTable(measured));
    log(
      '\nratio: req/s over the mean of the ceiling runs just before and after; CPU ratio: the same for server CPU time per response (server µs/req), which other load on the machine disturbs less. CPU columns: share of one core during the run (machine: all cores, everything running).',
    );
    for (const [label, file] of profiles) log(profileTables(label, file));
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:api failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
