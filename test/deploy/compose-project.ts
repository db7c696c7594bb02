import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import YAML from 'yaml';
import { tempDir } from '../helpers/app.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Secrets an operator must put in .env before `docker compose` agrees to start. */
export const TEST_SECRETS = {
  LIVEKIT_API_SECRET: 'b8f3c2a1d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829',
  POSTGRES_PASSWORD: '5d41402abc4b2a76b9719d911017c592',
  MINIO_ROOT_PASSWORD: '7c6a180b36896a0a8c02787eeafb0e4c',
  S3_ACCESS_KEY: 'callcenter-app',
  S3_SECRET_KEY: '6cb75f652a9b52798eb6cf2201057c73',
} as const;

export type ComposeFile = {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};

export type ComposeService = {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  network_mode?: string;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  profiles?: string[];
  extra_hosts?: string[];
  stop_grace_period?: string;
  init?: boolean;
};

/** .env.example with the required secrets filled in, as an operator would. */
export function exampleEnvFile(secrets: Record<string, string> = TEST_SECRETS): string {
  let text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  for (const [key, value] of Object.entries(secrets)) {
    const line = new RegExp(`^${key}=.*$`, 'm');
    if (!line.test(text)) throw new Error(`.env.example does not list ${key}`);
    text = text.replace(line, `${key}=${value}`);
  }
  return text;
}

/** A copy of the deployable files in a temporary directory with `.env`, as on a server. */
export function composeProject(env = exampleEnvFile()): string {
  const dir = tempDir('compose-');
  cpSync(path.join(ROOT, 'docker-compose.yml'), path.join(dir, 'docker-compose.yml'));
  cpSync(path.join(ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  writeFileSync(path.join(dir, '.env'), env);
  return dir;
}

const INTERPOLATION = /\$\$|\$\{(\w+)(?:(:?)([-?])((?:[^}])*))?\}|\$(\w+)/g;

/**
 * Compose's variable interpolation: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?message}, ${VAR?message}, and $$ for a literal $. Throws the message of a missing
 * required variable, like `docker compose` does.
 */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    INTERPOLATION,
    (whole, name?: string, colon?: string, op?: string, arg = '', bare?: string) => {
      if (whole === '$$') return '$';
      const key = (name ?? bare) as string;
      const value = vars[key];
      const unset = colon ? !value : value === undefined;
      if (op === '-') return unset ? arg : (value as string);
      if (op === '?' && unset) throw new Error(arg || `${key} is required`);
      return value ?? '';
    },
  );
}

function interpolateDeep(node: unknown, vars: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateDeep(item, vars));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateDeep(value, vars)]),
    );
  }
  return node;
}

/** The compose file as `docker compose` sees it: merge keys resolved, variables from `.env`. */
export function loadCompose(dir: string): ComposeFile {
  const vars = parseEnv(readFileSync(path.join(dir, '.env'), 'utf8'));
  const raw = YAML.parse(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as unknown;
  return interpolateDeep(raw, vars) as ComposeFile;
}

/** A service's environment as its process gets it: env_file first, `environment` on top. */
export function serviceEnvironment(dir: string, service: ComposeService): Record<string, string> {
  const files = service.env_file === undefined ? [] : [service.env_file].flat();
  const fromFiles = Object.assign(
    {},
    ...files.map((file) => parseEnv(readFileSync(path.join(dir, file), 'utf8'))),
  ) as Record<string, string>;
  const explicit = Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
  return { ...fromFiles, ...explicit };
}

/** Debian's docker-compose 1.29 (no engine needed for `config`), when installed. */
export function dockerCompose(dir: string, args: string[]) {
  return spawnSync('docker-compose', ['-f', 'docker-compose.yml', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

export const HAS_DOCKER_COMPOSE =
  spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

/** A host port published for a container port ("127.0.0.1:9000:9000" or "3000:3000"). */
export function publishedPort(service: ComposeService, containerPort: number): number | undefined {
  for (const mapping of service.ports ?? []) {
    const parts = String(mapping).split(':');
    if (Number(parts.at(-1)) === containerPort) return Number(parts.at(-2));
  }
  return undefined;
}

/** The port a `[CMD, wget|node..., url]` health check probes. */
export function healthcheckPort(service: ComposeService): number | undefined {
  const text = (service.healthcheck?.test ?? []).join(' ');
  const match = /127\.0\.0\.1:(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}
