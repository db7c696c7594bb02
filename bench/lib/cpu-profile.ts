import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (as written by `--cpu-prof` or the inspector) we read. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Time spent in a function (or a group of them): self, and with everything it called. */
export interface ProfileEntry {
  name: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** By function, most self time first. */
  functions: ProfileEntry[];
  /** By package (`fastify`, `kysely`, ...), project folder (`src/api`) or V8/Node pseudo-frame. */
  groups: ProfileEntry[];
}

/** Where a frame's code comes from: the npm package, the project folder, or Node itself. */
function groupOf(url: string, functionName: string, root: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first = '', second = ''] = file.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const relative = path.relative(root, file);
  const [top = '', sub = ''] = relative.split(path.sep);
  return relative.startsWith('..') ? file : top === 'src' ? `${top}/${sub}` : top;
}

/**
 * Self and inclusive time per function and per code origin. Inclusive time counts a recursive
 * function once per stack.
 */
export function summarizeCpuProfile(file: string, projectRoot: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const keyOf = (id: number) => {
    const { functionName, url, lineNumber } = nodes.get(id)?.callFrame ?? {
      functionName: '?',
      url: '',
      lineNumber: 0,
    };
    const where = url ? ` ${path.basename(url)}:${lineNumber + 1}` : '';
    return {
      fn: `${functionName || '(anonymous)'}${where}`,
      group: groupOf(url, functionName, projectRoot),
    };
  };
  const functions = new Map<string, ProfileEntry>();
  const groups = new Map<string, ProfileEntry>();
  const entry = (map: Map<string, ProfileEntry>, name: string) => {
    let found = map.get(name);
    if (!found) map.set(name, (found = { name, selfMs: 0, totalMs: 0 }));
    return found;
  };

  // Inclusive time of each node's subtree, then credited once per distinct key on the stack.
  const subtreeUs = new Map<number, number>();
  const subtree = (id: number): number => {
    const children = nodes.get(id)?.children ?? [];
    const sum = children.reduce((acc, child) => acc + subtree(child), selfUs.get(id) ?? 0);
    subtreeUs.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0]?.id ?? 0;
  const totalUs = subtree(root);
  const walk = (id: number, fnStack: Set<string>, groupStack: Set<string>) => {
    const { fn, group } = keyOf(id);
    const self = (selfUs.get(id) ?? 0) / 1000;
    const total = (subtreeUs.get(id) ?? 0) / 1000;
    entry(functions, fn).selfMs += self;
    entry(groups, group).selfMs += self;
    if (!fnStack.has(fn)) entry(functions, fn).totalMs += total;
    if (!groupStack.has(group)) entry(groups, group).totalMs += total;
    const fns = new Set(fnStack).add(fn);
    const grs = new Set(groupStack).add(group);
    for (const child of nodes.get(id)?.children ?? []) walk(child, fns, grs);
  };
  walk(root, new Set(), new Set());
  const bySelf = (a: ProfileEntry, b: ProfileEntry) => b.selfMs - a.selfMs;
  return {
    totalMs: totalUs / 1000,
    functions: [...functions.values()].sort(bySelf),
    groups: [...groups.values()].sort(bySelf),
  };
}
