/**
 * `--profile`: one call in one job process, looked at closely. Where its CPU goes (per thread from
 * /proc, per package from a V8 CPU profile of the steady state) and its memory (by stage of the
 * process's start, by mapping, V8 heap), plus a heap snapshot to open in Chrome DevTools.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallOptions } from './capacity-call.js';
import { CallProcess, type InferenceProcess, type ProcOptions } from './capacity-procs.js';
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

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a profiled function belongs to. */
function category(url: string, fn: string): string {
  if (url === '') {
    if (fn === '(garbage collector)') return 'V8 garbage collector';
    if (fn === '(program)') return 'V8/native, not attributed to JS';
    return fn;
  }
  const rules: [RegExp, string][] = [
    [/onnxruntime-node/, 'onnxruntime-node (Silero VAD inference calls)'],
    [/agents-plugin-silero/, 'Silero plugin (windows, resampling, events)'],
    [/@livekit\/agents\/dist\/voice\/recorder_io/, 'framework recorder (mixing, resampling)'],
    [/@livekit\/agents\/dist\/voice\/room_io/, 'framework room IO (playout)'],
    [/@livekit\/agents\/dist\/inference\/eot/, 'turn detector stream (buffer, IPC)'],
    [/@livekit\/agents\/dist\/inference\/vad/, 'local-inference VAD'],
    [/@livekit\/agents\/dist\/voice\//, 'framework voice pipeline (session, recognition)'],
    [/@livekit\/agents\/dist\/(stream|utils)/, 'framework streams and utils'],
    [/@livekit\/agents\//, 'framework, other'],
    [/@livekit\/rtc-node|@bufbuild\/protobuf/, 'rtc-node (frames, FFI messages, resampler)'],
    [/fluent-ffmpeg/, 'ffmpeg pipe'],
    [/pino|thread-stream/, 'logging'],
    [/kysely|better-sqlite3/, 'database'],
    [/capacity-call\.mjs/, 'our worker code + bench harness'],
    [/^node:/, 'Node internals (web streams, timers, IPC)'],
    [/node_modules/, 'other packages'],
  ];
  return rules.find(([re]) => re.test(url))?.[1] ?? 'other';
}

/** Self time per category and per function between two moments of the process's clock (µs). */
function summarizeProfile(profile: CpuProfile, fromUs: number, toUs: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t > toUs) continue;
    const frame = byId.get(profile.samples[i]!);
    if (!frame || frame.functionName === '(idle)') continue;
    const cat = category(frame.url, frame.functionName);
    categories.set(cat, (categories.get(cat) ?? 0) + next);
    const where = frame.url ? ` ${basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    functions.set(key, (functions.get(key) ?? 0) + next);
    total += next;
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { totalUs: total, categories: top(categories, 20), functions: top(functions, 15) };
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

async function bareNodeRssMb(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
  await sleep(800);
  const rss = memoryOf(child.pid!).rssMb;
  child.kill();
  return rss;
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
  const baseline = await bareNodeRssMb();

  const execArgv = [...options.jobExecArgv, '--cpu-prof', `--cpu-prof-dir=${outDir}`];
  const call = await CallProcess.start(
    options.agentModule,
    options.call,
    'profile',
    options.procOptions(execArgv),
    options.inference,
  );
  options.children.push(call);
  await sleep(3000);
  const start = await call.collect();
  const threadsBefore = threadCpuMs(call.pid);
  const treeBefore = descendants(call.pid).map((p) => ({ pid: p, ms: threadCpuMs(p) }));
  const t0 = performance.now();
  out(`profiling one call for ${options.seconds} s...\n`);
  await sleep(options.seconds * 1000);
  const end = await call.collect();
  const wallMs = performance.now() - t0;

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
  out('\nMemory of one call (MB)\n');
  out(line('bare node process (node -e, nothing loaded)', fmt(baseline, 0)));
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

  const snapshot = await call.heapSnapshot(join(outDir, 'call.heapsnapshot'));
  await call.stop();
  const profileFile = readdirSync(outDir).find((f) => f.endsWith('.cpuprofile'));
  out(
    `\nheap snapshot: ${snapshot} (${(statSync(snapshot).size / 1e6).toFixed(0)} MB; Chrome DevTools > Memory)\n`,
  );
  if (!profileFile) {
    out('no CPU profile was written (the job process did not exit normally)\n');
    return;
  }
  const profile = JSON.parse(readFileSync(join(outDir, profileFile), 'utf8')) as CpuProfile;
  const summary = summarizeProfile(profile, start.monotonicUs, end.monotonicUs);
  out(`CPU profile: ${join(outDir, profileFile)} (main thread; Chrome DevTools > Performance)\n`);
  out(`\nMain-thread JavaScript in the steady state by package (% of one core)\n`);
  for (const [cat, us] of summary.categories)
    out(line(cat, `${fmt((100 * us) / 1000 / wallMs, 2)} %`));
  out('\nTop functions by self time (% of one core)\n');
  for (const [fn, us] of summary.functions)
    out(line(fn.slice(0, 52), `${fmt((100 * us) / 1000 / wallMs, 2)} %`));
}
