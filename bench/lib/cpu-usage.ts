import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

// Linux reports process and machine CPU times in clock ticks; USER_HZ is 100 on every kernel we run.
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is none. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has been busy (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values;
    return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Cores the OS lets this process use. */
export const CORES = availableParallelism();

/**
 * Measures CPU use over an interval: `start()` then `stop()` gives each watched process's and the
 * machine's use as a share of one core (1 = one core fully busy).
 */
export function cpuMeter(pids: Record<string, number>) {
  const read = () => ({
    at: performance.now(),
    machine: machineBusySeconds(),
    processes: Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]),
    ),
  });
  const before = read();
  return {
    stop(): { machine: number | null; processes: Record<string, number | null> } {
      const after = read();
      const wallS = (after.at - before.at) / 1000;
      const share = (a: number | null | undefined, b: number | null | undefined) =>
        a === null || a === undefined || b === null || b === undefined ? null : (b - a) / wallS;
      return {
        machine: share(before.machine, after.machine),
        processes: Object.fromEntries(
          Object.keys(pids).map((name) => [
            name,
            share(before.processes[name], after.processes[name]),
          ]),
        ),
      };
    },
  };
}
