/**
 * `--profile`: one call in one job process, looked at closely. Where its CPU goes (per thread from
 * /proc, per package from a V8 CPU profile of the steady state) and its memory (by stage of the
 * process's start, by mapping, V8 heap), plus a heap snapshot to open in Chrome DevTools.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../src/config/paths.js';
import type { CallOptions } from './capacity-call.js';
import { CallProcess, type InferenceProcess, type ProcOptions } from './capacity-procs.js';
import { summarizeCpuProfile } from './lib/cpu-profile.js';
import {
  commandName,
  descendants,
  fmt,
  memoryOf,
  percentile,
  residentByMapping,
  sumMemory,
  threadCpuMs,
} from './capacity-sys.js';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size (MB) of a V8 heap snapshot's nodes by kind (code, strings, ...) and the top constructors. */
function summarizeHeap(path: string) {
  const heap = JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byType = new Map<string, number>();
  const byName = new Map<string, number>();
  for (let i = 0; i < heap.nodes.length; i += stride) {
    const type = types[heap.nodes[i + typeAt]!] ?? '?';
    const size = heap.nodes[i + sizeAt]! / 1024 / 1024;
    byType.set(type, (byType.get(type) ?? 0) + size);
    if (type === 'object' || type === 'closure') {
      const name = `${heap.strings[heap.nodes[i + nameAt]!] ?? '?'} (${type})`;
      byName.set(name, (byName.get(name) ?? 0) + size);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { byType: top(byType, 8), byName: top(byName, 8) };
}

/** Resident memory grouped into what it is: node, each native library, malloc heap, V8/anonymous. */
function mappingGroups(pid: number): [string, number][] {
  const groups = new Map<string, number>();
  for (const [path, mem] of residentByMapping(pid)) {
    let group = 'other mappings';
    if (/onnxruntime/.test(path)) group = 'onnxruntime (library + binding)';
    else if (/local-inference/.test(path)) group = 'local-inference native module';
    else if (/rtc-ffi-bindings|rtc-node/.test(path)) group = 'rtc-node FFI (WebRTC, Rust)';
    else if (/better-sqlite3/.test(path)) group = 'better-sqlite3';
    else if (/\/node$|\/bin\/node/.test(path)) group = 'node binary';
    else if (/\.so/.test(path)) group = 'system libraries';
    else if (path === '[heap]') group = 'malloc heap (native allocations, ONNX sessions)';
    else if (path === '[anonymous]') group = 'anonymous (V8 heap, arenas, thread stacks)';
    groups.set(group, (groups.get(group) ?? 0) + mem.rssMb);
  }
  return [...groups.entries()].sort((a, b) => b[1] - a[1]);
}

/** What the worker's job processes import, each measured alone in a fresh node. */
const PACKAGES = [
  '@livekit/agents',
  '@livekit/rtc-node',
  'onnxruntime-node',
  '@livekit/local-inference',
  '@livekit/agents-plugin-openai',
  'livekit-server-sdk',
  'kysely',
  'better-sqlite3',
  'pg',
  'pino',
  'zod',
];

/** RSS and V8 heap (MB) of a fresh node process that has imported `pkg` (nothing: bare node). */
async function importCost(pkg: string | null): Promise<{ rss: number; heap: number }> {
  const script =
    `${pkg ? `await import(${JSON.stringify(pkg)});` : ''}` +
    'globalThis.gc(); await new Promise((r) => setTimeout(r, 300)); const u = process.memoryUsage();' +
    'process.stdout.write(JSON.stringify({ rss: u.rss / 1048576, heap: u.heapUsed / 1048576 }));';
  const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await once(child, 'exit');
  try {
    return JSON.parse(text) as { rss: number; heap: number };
  } catch {
    return { rss: Number.NaN, heap: Number.NaN };
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const line = (label: string, value: string) => `  ${label.padEnd(52)} ${value}\n`;

export async function runProfile(options: {
  agentModule: string;
  call: CallOptions;
  seconds: number;
  outDir: string;
  procOptions: (execArgv: string[]) => ProcOptions;
  jobExecArgv: string[];
  inference: InferenceProcess | null;
  children: { stop(): Promise<void> }[];
}): Promise<void> {
  const { outDir } = options;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const out = (text: string) => process.stdout.write(text);
  const baseline = await importCost(null);

  const call = await CallProcess.start(
    options.agentModule,
    options.call,
    'profile',
    options.procOptions(options.jobExecArgv),
    options.inference,
  );
  options.children.push(call);
  await sleep(3000);
  await call.collect();
  call.startProfile();
  const threadsBefore = threadCpuMs(call.pid);
  const treeBefore = descendants(call.pid).map((p) => ({ pid: p, ms: threadCpuMs(p) }));
  const t0 = performance.now();
  out(`profiling one call for ${options.seconds} s...\n`);
  await sleep(options.seconds * 1000);
  const end = await call.collect();
  const wallMs = performance.now() - t0;
  const profileFile = await call.stopProfile(join(outDir, 'call.cpuprofile'));

  out(`\nCPU of one call (% of one core, ${(wallMs / 1000).toFixed(0)} s steady state)\n`);
  const threadsAfter = threadCpuMs(call.pid);
  let jobTotal = 0;
  for (const [name, ms] of [...threadsAfter.entries()].sort((a, b) => b[1] - a[1])) {
    const used = ms - (threadsBefore.get(name) ?? 0);
    jobTotal += used;
    if (used > 0) out(line(`job process thread "${name}"`, `${fmt((100 * used) / wallMs, 2)} %`));
  }
  out(line('job process, all threads', `${fmt((100 * jobTotal) / wallMs, 2)} %`));
  for (const { pid, ms } of treeBefore) {
    const used = [...threadCpuMs(pid).values()].reduce((a, b) => a + b, 0);
    const before = [...ms.values()].reduce((a, b) => a + b, 0);
    out(
      line(
        `child process ${commandName(pid)} (${pid})`,
        `${fmt((100 * (used - before)) / wallMs, 2)} %`,
      ),
    );
  }
  out(
    line(
      'audio lag p50 / p95 (ms), caller turns',
      `${fmt(percentile(end.lagsMs, 50), 0)} / ${fmt(percentile(end.lagsMs, 95), 0)}, ${end.eouDelaysMs.length}`,
    ),
  );

  const jobMemory = memoryOf(call.pid);
  const mappings = mappingGroups(call.pid);
  const tree = sumMemory(descendants(call.pid).map(memoryOf));
  const shared = options.inference ? memoryOf(options.inference.proc.pid!) : null;
  out('\nStart of the job process (s)\n');
  out(
    line('fork to prewarmed (bounded by initializeProcessTimeout)', fmt(call.prewarmMs / 1000, 1)),
  );
  out(line('fork to the caller talking (greeting played)', fmt(call.readyMs / 1000, 1)));
  out('\nMemory of one call (MB)\n');
  out(line('bare node process (nothing imported)', fmt(baseline.rss, 0)));
  for (const s of call.stages) {
    out(line(`job process RSS, ${s.stage}`, fmt(mb(s.memory.rss), 0)));
  }
  out(line('job process RSS, steady (measured from /proc)', fmt(jobMemory.rssMb, 0)));
  out(line('job process PSS (shared pages split)', fmt(jobMemory.pssMb, 0)));
  out(
    line(
      '  V8 heap used / total',
      `${fmt(mb(end.memory.heapUsed), 0)} / ${fmt(mb(end.memory.heapTotal), 0)}`,
    ),
  );
  out(line('  V8 external (buffers, array buffers)', fmt(mb(end.memory.external), 0)));
  for (const [group, rss] of mappings) out(line(`  ${group}`, fmt(rss, 0)));
  out(
    line(
      "ffmpeg (the recorder's Opus encoder) RSS / PSS",
      `${fmt(tree.rssMb, 0)} / ${fmt(tree.pssMb, 0)}`,
    ),
  );
  if (shared) {
    out(
      line(
        'inference process (turn detector, shared) RSS / PSS',
        `${fmt(shared.rssMb, 0)} / ${fmt(shared.pssMb, 0)}`,
      ),
    );
  }

  out('\nImport cost, each package alone in a fresh node (MB over bare node; they overlap)\n');
  for (const pkg of PACKAGES) {
    const cost = await importCost(pkg);
    out(
      line(
        pkg,
        `RSS +${fmt(cost.rss - baseline.rss, 0, 4)}  V8 heap +${fmt(cost.heap - baseline.heap, 0, 4)}`,
      ),
    );
  }

  const snapshot = await call.heapSnapshot(join(outDir, 'call.heapsnapshot'));
  await call.stop();
  const heap = summarizeHeap(snapshot);
  out(
    `\nheap snapshot: ${snapshot} (${(statSync(snapshot).size / 1e6).toFixed(0)} MB; Chrome DevTools > Memory)\n`,
  );
  out('\nV8 heap snapshot of the call by kind (MB, self size)\n');
  for (const [type, size] of heap.byType) out(line(type, fmt(size, 1)));
  out('  largest constructors\n');
  for (const [name, size] of heap.byName) out(line(`  ${name.slice(0, 50)}`, fmt(size, 1)));
  const profile = summarizeCpuProfile(profileFile, PROJECT_ROOT);
  out(`CPU profile: ${profileFile} (steady state, main thread; Chrome DevTools > Performance)\n`);
  const pct = (ms: number) => `${fmt((100 * ms) / wallMs, 2)} %`;
  out('\nMain-thread JavaScript by package, % of one core: self (with what it called)\n');
  out('  (data: the bundled job module = our worker code and the bench harness)\n');
  const busy = (name: string) => name !== '(idle)' && name !== '(root)';
  for (const g of profile.groups.filter((g) => busy(g.name)).slice(0, 14)) {
    out(line(g.name, `${pct(g.selfMs)}  (${pct(g.totalMs)})`));
  }
  out('\nTop functions by self time, % of one core\n');
  for (const f of profile.functions.filter((f) => busy(f.name)).slice(0, 15)) {
    out(line(f.name.slice(0, 52), pct(f.selfMs)));
  }
}
