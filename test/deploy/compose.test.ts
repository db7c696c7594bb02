import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseConfig } from '../../src/config/index.js';
import {
  HAS_DOCKER_COMPOSE,
  ROOT,
  TEST_SECRETS,
  composeProject,
  dockerCompose,
  exampleEnvFile,
  healthcheckPort,
  interpolate,
  loadCompose,
  publishedPort,
  serviceEnvironment,
  type ComposeFile,
} from './compose-project.js';

if (!HAS_DOCKER_COMPOSE && process.env.CI) {
  throw new Error(
    'CI needs docker-compose to validate docker-compose.yml (apt-get install docker-compose)',
  );
}

const project = composeProject();
const compose = loadCompose(project);
const services = compose.services;
const service = (name: string) => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
interface ServerFileCommon {
  redis: { address: string };
  health_port?: number;
  api_key?: string;
  api_secret?: string;
  ws_url?: string;
}
interface LiveKitYaml {
  port: number;
  rtc: Record<string, unknown>;
  redis: { address: string };
  keys?: unknown;
  webhook: { api_key: string; urls: string[] };
}
interface SipYaml extends ServerFileCommon {
  sip_port: number;
  rtp_port: string;
}
interface EgressYaml extends ServerFileCommon {
  s3?: unknown;
  storage: { s3: Record<string, string | boolean | undefined> };
}
const readConfigFile = <T>(name: string) =>
  YAML.parse(readFileSync(path.join(ROOT, 'config', name), 'utf8')) as T;
const apiEnv = serviceEnvironment(project, service('api'));
const workerEnv = serviceEnvironment(project, service('worker'));

describe('docker-compose.yml', () => {
  it.skipIf(!HAS_DOCKER_COMPOSE)('is valid for docker-compose (config, no engine needed)', () => {
    const result = dockerCompose(project, ['--profile', 'egress', 'config', '-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!HAS_DOCKER_COMPOSE)(
    'gives api and worker exactly the environment this test resolves',
    () => {
      const result = dockerCompose(project, ['--profile', 'egress', 'config']);
      expect(result.status).toBe(0);
      const resolved = YAML.parse(result.stdout) as ComposeFile;
      for (const [name, expected] of [
        ['api', apiEnv],
        ['worker', workerEnv],
      ] as const) {
        const actual = Object.fromEntries(
          Object.entries(resolved.services[name]?.environment ?? {}).map(([k, v]) => [
            k,
            String(v ?? ''),
          ]),
        );
        expect(actual).toEqual(expected);
      }
    },
  );

  it.skipIf(!HAS_DOCKER_COMPOSE)('refuses to start while a required secret is unset', () => {
    for (const secret of Object.keys(TEST_SECRETS)) {
      const dir = composeProject(exampleEnvFile({ ...TEST_SECRETS, [secret]: '' }));
      const result = dockerCompose(dir, ['config', '-q']);
      expect(result.status, secret).not.toBe(0);
      expect(result.stderr).toContain(`set ${secret} in .env`);
    }
  });

  it('keeps .env.example readable by docker-compose 1.29 as well as by Node', () => {
    // docker-compose 1.29 reads `VAR=   # note` as the value "# note"; Node reads "".
    const text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const ambiguous = text.split('\n').filter((line) => /^[A-Z0-9_]+=\s+#/.test(line));
    expect(ambiguous, 'put the comment on the line above instead').toEqual([]);
  });

  it('stops on every unset secret in the resolver too', () => {
    for (const secret of Object.keys(TEST_SECRETS)) {
      const dir = composeProject(exampleEnvFile({ ...TEST_SECRETS, [secret]: '' }));
      expect(() => loadCompose(dir), secret).toThrow(`set ${secret} in .env`);
    }
  });

  it('runs the whole stack, with no top-level name (docker-compose 1.29 rejects it)', () => {
    expect(compose.name).toBeUndefined();
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'egress',
        'livekit',
        'minio',
        'minio-init',
        'postgres',
        'redis',
        'sip',
        'worker',
      ].sort(),
    );
    for (const [name, definition] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect(services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
        if (condition === 'service_completed_successfully') {
          expect(dependency).toBe('minio-init'); // the only one-shot service
        } else {
          expect(condition, `${name} -> ${dependency}`).toBe('service_healthy');
          expect(service(dependency).healthcheck, dependency).toBeDefined();
        }
      }
      if (name !== 'minio-init') expect(definition.healthcheck, name).toBeDefined();
    }
    expect(service('minio-init').restart).toBe('no');
    const declared = Object.keys(compose.volumes ?? {});
    for (const definition of Object.values(services)) {
      for (const volume of definition.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (!source.startsWith('.')) expect(declared).toContain(source);
      }
    }
    expect(service('postgres').volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(service('minio').volumes).toContain('minio-data:/data');
  });

  it('builds api and worker from the Dockerfile with their own commands and health checks', () => {
    for (const name of ['api', 'worker']) {
      expect(service(name).build).toBeDefined();
      expect(service(name).env_file).toBe('.env');
      expect(service(name).init).toBe(true);
    }
    expect(service('api').command).toEqual(['node', 'dist/src/api/server.js']);
    expect(service('worker').command).toEqual(['node', 'dist/src/worker/main.js', 'start']);
    expect(healthcheckPort(service('api'))).toBe(3000);
    expect(service('api').healthcheck?.test.join(' ')).toContain('/health/ready');
    expect(healthcheckPort(service('worker'))).toBe(parseConfig(workerEnv).worker.httpPort);
    // Workers scale out with --scale: a published port would collide between replicas.
    expect(service('worker').ports).toBeUndefined();
  });

  it('gives api and worker a configuration the app accepts: PostgreSQL, MinIO, LiveKit', () => {
    for (const env of [apiEnv, workerEnv]) {
      const config = parseConfig(env);
      expect(config.env).toBe('production');
      expect(config.database).toMatchObject({ kind: 'postgres' });
      expect(new URL((config.database as { url: string }).url).host).toBe('postgres:5432');
      expect(config.recording.store).toMatchObject({
        kind: 's3',
        endpoint: 'http://minio:9000',
        egressEndpoint: 'http://127.0.0.1:9000',
        accessKey: TEST_SECRETS.S3_ACCESS_KEY,
        secretKey: TEST_SECRETS.S3_SECRET_KEY,
        forcePathStyle: true,
      });
      expect(config.livekit).toMatchObject({
        configured: true,
        url: 'ws://host.docker.internal:7880',
        apiKey: 'callcenter',
        apiSecret: TEST_SECRETS.LIVEKIT_API_SECRET,
      });
      expect(config.log.pii).toBe(false);
    }
    expect(parseConfig(apiEnv).api.port).toBe(3000);
  });

  it('accepts egress recording too (RECORDING_MODE=egress)', () => {
    const dir = composeProject(`${exampleEnvFile()}\nRECORDING_MODE=egress\n`);
    const env = serviceEnvironment(dir, loadCompose(dir).services.worker!);
    expect(parseConfig(env).recording.mode).toBe('egress');
  });

  it('bakes no secret into the compose file: each comes from .env', () => {
    const text = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const secret of Object.keys(TEST_SECRETS)) {
      expect(text).toContain(`\${${secret}:?set ${secret} in .env`);
    }
    const raw = YAML.parse(text, { merge: true }) as ComposeFile;
    for (const [name, definition] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(definition.environment ?? {})) {
        if (/SECRET|PASSWORD|KEYS$/.test(key)) {
          expect(String(value), `${name}.${key}`).toMatch(/\$\{\w+:\?/);
        }
      }
    }
  });
});

describe('networking between host-network LiveKit services and the compose network', () => {
  it('puts livekit, sip, egress and redis on the host network and lets api/worker reach it', () => {
    for (const name of ['livekit', 'sip', 'egress', 'redis']) {
      expect(service(name).network_mode, name).toBe('host');
    }
    for (const name of ['api', 'worker']) {
      expect(service(name).extra_hosts).toContain('host.docker.internal:host-gateway');
    }
  });

  it('publishes the ports host-network services use to reach api and MinIO', () => {
    const livekit = readConfigFile<LiveKitYaml>('livekit.yaml');
    const webhook = new URL(livekit.webhook.urls[0] ?? '');
    expect(webhook.hostname).toBe('127.0.0.1');
    expect(Number(webhook.port)).toBe(publishedPort(service('api'), parseConfig(apiEnv).api.port));
    expect(webhook.pathname).toBe('/webhooks/livekit');
    const egressEndpoint = new URL(apiEnv.S3_EGRESS_ENDPOINT ?? '');
    expect(egressEndpoint.hostname).toBe('127.0.0.1');
    expect(Number(egressEndpoint.port)).toBe(publishedPort(service('minio'), 9000));
  });
});

describe('LiveKit server configuration files', () => {
  const livekit = readConfigFile<LiveKitYaml>('livekit.yaml');
  const sip = readConfigFile<SipYaml>('sip-server.yaml');
  const egress = readConfigFile<EgressYaml>('egress.yaml');
  const livekitKeys = YAML.parse(service('livekit').environment?.LIVEKIT_KEYS ?? '') as Record<
    string,
    string
  >;

  it('gives livekit-server its keys, and signs webhooks with one of them', () => {
    // livekit-server reads LIVEKIT_KEYS ("key: secret") like its --keys flag.
    expect(livekitKeys).toEqual({ callcenter: TEST_SECRETS.LIVEKIT_API_SECRET });
    expect(livekit.keys).toBeUndefined();
    expect(livekitKeys).toHaveProperty(livekit.webhook.api_key);
    expect(apiEnv.LIVEKIT_API_KEY).toBe(livekit.webhook.api_key);
    expect(apiEnv.LIVEKIT_API_SECRET).toBe(livekitKeys[livekit.webhook.api_key]);
  });

  it('uses only keys livekit-server knows (it refuses unknown ones)', () => {
    const known = [
      'port',
      'bind_addresses',
      'rtc',
      'redis',
      'keys',
      'key_file',
      'webhook',
      'room',
      'logging',
      'turn',
      'region',
      'node_selector',
      'limit',
      'development',
      'prometheus_port',
    ];
    for (const key of Object.keys(livekit)) expect(known).toContain(key);
    for (const key of Object.keys(livekit.rtc)) {
      expect([
        'tcp_port',
        'port_range_start',
        'port_range_end',
        'udp_port',
        'use_external_ip',
        'node_ip',
      ]).toContain(key);
    }
    expect(livekit.port).toBe(7880);
    expect(livekit.rtc).toMatchObject({
      tcp_port: 7881,
      port_range_start: 50000,
      port_range_end: 60000,
    });
    expect(service('livekit').volumes).toContain('./config/livekit.yaml:/etc/livekit.yaml:ro');
    expect(service('livekit').command).toEqual(['--config', '/etc/livekit.yaml']);
  });

  it('points SIP and egress at the same Redis and server, with the same key and secret', () => {
    expect(livekit.redis.address).toBe('127.0.0.1:6379');
    expect(service('redis').command?.join(' ')).toContain('--port 6379');
    for (const [name, file] of [
      ['sip', sip],
      ['egress', egress],
    ] as const) {
      expect(file.redis.address, name).toBe(livekit.redis.address);
      const env = serviceEnvironment(project, service(name));
      // Both read api_key, api_secret and ws_url from these variables when the file omits them.
      const apiKey = file.api_key ?? env.LIVEKIT_API_KEY;
      const apiSecret = file.api_secret ?? env.LIVEKIT_API_SECRET;
      const wsUrl = new URL(file.ws_url ?? env.LIVEKIT_WS_URL ?? '');
      expect(livekitKeys[apiKey ?? ''], name).toBe(apiSecret);
      expect(wsUrl.protocol, name).toBe('ws:');
      expect(wsUrl.hostname, name).toBe('127.0.0.1');
      expect(Number(wsUrl.port), name).toBe(livekit.port);
      expect(healthcheckPort(service(name)), name).toBe(file.health_port);
    }
  });

  it('runs the SIP service on 5060 with the RTP range, from config/sip-server.yaml', () => {
    expect(sip.sip_port).toBe(5060);
    expect(sip.rtp_port).toBe('10000-20000');
    expect(service('sip').volumes).toContain('./config/sip-server.yaml:/sip/config.yaml:ro');
  });

  it('nests egress S3 settings under storage, path-style, matching the app settings', () => {
    expect(egress.s3).toBeUndefined();
    const s3 = egress.storage.s3;
    const store = parseConfig(apiEnv).recording.store;
    if (store.kind !== 's3') throw new Error('expected the S3 store');
    expect(s3).toMatchObject({
      endpoint: store.egressEndpoint,
      bucket: store.bucket,
      region: store.region,
      force_path_style: true,
    });
    const env = serviceEnvironment(project, service('egress'));
    expect(env.EGRESS_CONFIG_FILE).toBe('/etc/egress.yaml');
    expect(service('egress').volumes).toContain('./config/egress.yaml:/etc/egress.yaml:ro');
    expect(s3.access_key ?? env.AWS_ACCESS_KEY_ID).toBe(store.accessKey);
    expect(s3.secret ?? env.AWS_SECRET_ACCESS_KEY).toBe(store.secretKey);
  });
});

describe('documentation', () => {
  const operations = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');

  it('names every port the stack opens', () => {
    for (const port of [
      '7880',
      '7881',
      '50000-60000',
      '5060',
      '10000-20000',
      '3000',
      '9000',
      '9001',
    ]) {
      expect(operations).toContain(port);
    }
  });

  it('explains the two SIP files', () => {
    expect(operations).toContain('config/sip-server.yaml');
    expect(operations).toContain('config/sip.yaml');
  });
});

describe('interpolate', () => {
  it('follows compose rules for defaults, required values and $$', () => {
    const vars = { SET: 'v', EMPTY: '' };
    expect(interpolate('${SET} $SET ${EMPTY:-d} ${EMPTY-d} ${UNSET-d} $$SET', vars)).toBe(
      'v v d  d $SET',
    );
    expect(() => interpolate('${EMPTY:?needed}', vars)).toThrow('needed');
    expect(interpolate('${EMPTY?needed}', vars)).toBe('');
    expect(() => interpolate('${UNSET?needed}', vars)).toThrow('needed');
  });
});
