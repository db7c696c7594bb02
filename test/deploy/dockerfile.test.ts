import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app.js';
import { ROOT, composeProject, loadCompose } from './compose-project.js';

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string | undefined;
  base: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages, with line continuations joined and comments dropped. */
function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === 'FROM') {
      const [base = '', , name] = rest.split(/\s+/);
      stages.push({ name, base, instructions: [] });
    } else if (stages.length === 0) {
      args.push(instruction);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

const dockerfile = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const stage = (name: string) => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
const runtime = dockerfile.stages.at(-1) as Stage;
const lines = (s: Stage, keyword: string) =>
  s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage and ends in a Debian slim Node 20 runtime', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile.args.map((a) => a.args)).toContain('NODE_IMAGE=node:20-bookworm-slim');
    expect(runtime.base).toBe('${NODE_IMAGE}');
    expect(runtime.name).toBe('runtime');
  });

  it('runs as the unprivileged node user, from /app, in production mode', () => {
    expect(lines(runtime, 'USER')).toEqual(['node']);
    const userAt = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    // Nothing after USER may need root.
    expect(runtime.instructions.slice(userAt).map((i) => i.keyword)).not.toContain('RUN');
    expect(lines(runtime, 'WORKDIR')).toEqual(['/app']);
    expect(lines(runtime, 'ENV')).toContain('NODE_ENV=production');
  });

  it('ships production dependencies only, installed from the lock file', () => {
    expect(lines(stage('prod-deps'), 'RUN').join(' ')).toMatch(/npm ci --omit=dev/);
    const copies = lines(runtime, 'COPY');
    expect(copies).toContainEqual(expect.stringMatching(/--from=prod-deps .*\/app\/node_modules/));
    expect(copies.filter((c) => c.includes('node_modules'))).toHaveLength(1);
    expect(copies).toContainEqual(expect.stringMatching(/--from=build .*\/app\/dist \.\/dist/));
    for (const dir of ['sql', 'config', 'package.json']) {
      expect(copies.some((c) => c.includes(` ${dir} `) || c.endsWith(` ${dir} ./`))).toBe(true);
    }
  });

  it('checks the voice models at build time, offline from then on', () => {
    const prodDeps = lines(stage('prod-deps'), 'RUN').join(' ');
    expect(prodDeps).toContain('livekit-agents download-files');
    expect(prodDeps).toContain('node scripts/check-model-files.mjs /app');
  });

  it('bakes in no secrets', () => {
    const settings = [...dockerfile.args, ...dockerfile.stages.flatMap((s) => s.instructions)]
      .filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')
      .map((i) => i.args);
    for (const setting of settings) expect(setting).not.toMatch(/SECRET|PASSWORD|TOKEN|_KEY/i);
    const copied = dockerfile.stages.flatMap((s) => lines(s, 'COPY')).join(' ');
    expect(copied).not.toMatch(/\.env\b/);
  });

  it('leaves the health checks to docker-compose, which has one for api and worker', () => {
    expect(lines(runtime, 'HEALTHCHECK')).toEqual([]);
    const compose = loadCompose(composeProject());
    expect(compose.services.api?.healthcheck).toBeDefined();
    expect(compose.services.worker?.healthcheck).toBeDefined();
  });

  it('keeps what the build copies out of .dockerignore, and secrets and clutter in it', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['node_modules', 'dist', 'data', '.git', '.env']) {
      expect(ignored).toContain(entry);
    }
    for (const needed of ['src', 'sql', 'config', 'scripts', 'package.json', 'package-lock.json']) {
      expect(ignored).not.toContain(needed);
      expect(existsSync(path.join(ROOT, needed)), needed).toBe(true);
    }
  });
});

describe('scripts/check-model-files.mjs', () => {
  const run = (root: string) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-model-files.mjs'), root], {
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('loads Silero VAD and the local turn detector from node_modules', () => {
    const result = run(ROOT);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ok  silero_vad.onnx');
    expect(result.stdout).toContain('ok  turn detector + VAD');
  });

  it('fails the build when the models are missing', () => {
    const result = run(tempDir());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('model files check failed: missing');
  });
});
