import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import { bearerTokenMatches } from '../observability/metrics-auth.js';
import {
  applyCounterObservation,
  observationSchema,
  type Observation,
} from '../observability/metrics-sink.js';
import type { Metrics } from '../observability/metrics.js';

/** Where job processes post their observations (loopback only). */
export const OBSERVATIONS_PATH = '/observations';

const MAX_BODY_BYTES = 256 * 1024;

export const observationBatchSchema = z.object({
  pid: z.number().int().positive(),
  observations: z.array(observationSchema).max(1000),
});

export type ObservationBatch = z.infer<typeof observationBatchSchema>;

/** Whether a process still exists (signal 0 only checks; EPERM means it exists but is not ours). */
export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Folds observations from many job processes into one registry. Gauges are per-process state:
 * a job process that dies without saying so (crash, SIGKILL) must not leave its calls counted
 * as active forever, so processes that no longer exist are dropped before every scrape.
 */
export function createObservationAggregator(metrics: Metrics, isAlive = pidIsAlive) {
  const callPids = new Map<string, number>();
  const pendingByPid = new Map<number, number>();

  const refreshGauges = () => {
    metrics.activeCalls.set(callPids.size);
    let pending = 0;
    for (const count of pendingByPid.values()) pending += count;
    metrics.recordingUploadsPending.set(pending);
  };

  return {
    apply(pid: number, observation: Observation): void {
      if (observation.type === 'callStarted') callPids.set(observation.callId, pid);
      if (observation.type === 'callEnded') callPids.delete(observation.callId);
      if (observation.type === 'recordingUploadsPending') {
        pendingByPid.set(pid, observation.count);
      }
      applyCounterObservation(metrics, observation);
      refreshGauges();
    },
    /** Forgets processes that are gone, then updates the gauges. */
    prune(): void {
      for (const [callId, pid] of callPids) if (!isAlive(pid)) callPids.delete(callId);
      for (const pid of pendingByPid.keys()) if (!isAlive(pid)) pendingByPid.delete(pid);
      refreshGauges();
    },
  };
}

export interface WorkerMetricsServerOptions {
  metrics: Metrics;
  port: number;
  host?: string;
  /** When set, GET /metrics needs `Authorization: Bearer <token>` (METRICS_TOKEN). */
  token?: string | undefined;
  logger?: Logger;
  isAlive?: (pid: number) => boolean;
}

export interface WorkerMetricsServer {
  port: number;
  close(): Promise<void>;
}

function isLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(response: ServerResponse, status: number, body = '', type = 'text/plain'): void {
  response.writeHead(status, { 'content-type': type });
  response.end(body);
}

/**
 * The worker main process's own HTTP port (WORKER_METRICS_PORT): `GET /metrics` (Prometheus),
 * `GET /health`, and `POST /observations` where job processes report what they measured.
 * The LiveKit Agents health endpoint stays on WORKER_HTTP_PORT.
 */
export async function startWorkerMetricsServer(
  options: WorkerMetricsServerOptions,
): Promise<WorkerMetricsServer> {
  const { metrics, token, logger } = options;
  const aggregator = createObservationAggregator(metrics, options.isAlive);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      if (token && !bearerTokenMatches(request.headers.authorization, token)) {
        response.setHeader('www-authenticate', 'Bearer');
        return send(response, 401, 'A metrics token is required.\n');
      }
      aggregator.prune();
      return send(response, 200, await metrics.registry.metrics(), metrics.registry.contentType);
    }
    if (request.method === 'GET' && path === '/health') return send(response, 200, 'ok\n');
    if (request.method === 'POST' && path === OBSERVATIONS_PATH) {
      // Only job processes on this machine report; the port itself is reachable by Prometheus.
      if (!isLoopback(request)) return send(response, 403, 'loopback only\n');
      const batch = observationBatchSchema.safeParse(await readJson(request).catch(() => null));
      if (!batch.success) return send(response, 400, 'invalid observation batch\n');
      for (const observation of batch.data.observations) {
        aggregator.apply(batch.data.pid, observation);
      }
      return send(response, 204);
    }
    return send(response, 404, 'not found\n');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger?.error({ err: error }, 'metrics request failed');
      if (!response.headersSent) send(response, 500, 'error\n');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  logger?.info({ port }, 'worker metrics listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeIdleConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
