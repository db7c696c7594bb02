/** What the capacity benchmark reads from Linux's /proc beyond bench/lib/cpu-usage.ts: memory, process trees, threads. */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks of 1/100 s on every common configuration. */
const TICKS_PER_SECOND = 100;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process has exited
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function statFields(pid: number): string[] | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Every live descendant of `pid` (children, grandchildren, ...). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (!f) continue;
    const ppid = Number(f[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export function commandName(pid: number): string {
  return (read(`/proc/${pid}/comm`) ?? '?').trim();
}

export interface Memory {
  /** Resident set size, MB: what `ps` and the framework's memory warnings report. */
  rssMb: number;
  /** Proportional set size, MB: shared pages (node binary, libraries) split among their users. */
  pssMb: number;
}

/** RSS and PSS of a process (zero once it has exited). */
export function memoryOf(pid: number): Memory {
  const kb = (text: string | null, key: string) => {
    const m = text?.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) / 1024 : 0;
  };
  return {
    rssMb: kb(read(`/proc/${pid}/status`), 'VmRSS'),
    pssMb: kb(read(`/proc/${pid}/smaps_rollup`), 'Pss'),
  };
}

export function sumMemory(list: Memory[]): Memory {
  return {
    rssMb: list.reduce((a, m) => a + m.rssMb, 0),
    pssMb: list.reduce((a, m) => a + m.pssMb, 0),
  };
}

/** Resident memory of a process by mapping (binary, libraries, heap, anonymous), MB. */
export function residentByMapping(pid: number): Map<string, Memory> {
  const out = new Map<string, Memory>();
  const smaps = read(`/proc/${pid}/smaps`);
  if (!smaps) return out;
  let current = '';
  for (const line of smaps.split('\n')) {
    const header = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (header) {
      current = header[1] || '[anonymous]';
      continue;
    }
    const m = line.match(/^(Rss|Pss):\s+(\d+) kB/);
    if (!m) continue;
    const entry = out.get(current) ?? { rssMb: 0, pssMb: 0 };
    if (m[1] === 'Rss') entry.rssMb += Number(m[2]) / 1024;
    else entry.pssMb += Number(m[2]) / 1024;
    out.set(current, entry);
  }
  return out;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** A fixed-width number for tables; `-` when unknown. */
export function fmt(value: number, digits = 0, width = 6): string {
  return (Number.isFinite(value) ? value.toFixed(digits) : '-').padStart(width);
}

/** CPU time (ms) of each thread of a process, summed by thread name (main, libuv pool, tokio...). */
export function threadCpuMs(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const stat = read(`/proc/${pid}/task/${tid}/stat`);
    if (!stat) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
    out.set(name, (out.get(name) ?? 0) + ms);
  }
  return out;
}
