import type { Server } from 'node:http';
import S3rver from 's3rver';
import type { S3StoreConfig } from '../../src/egress/s3-recording-store.js';
import { tempDir } from './app.js';

/** One request as the S3 server received it. */
export interface S3Request {
  method: string;
  path: string;
  query: string;
}

export interface TestS3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  /** Every request since start (kept across restarts). */
  requests: S3Request[];
  /** Object uploads (single PUTs and completed multipart uploads) for one key. */
  uploadsOf(bucket: string, key: string): number;
  /** A store config for `bucket` on this server. */
  storeConfig(bucket?: string): S3StoreConfig;
  /** Stops accepting connections (an outage); the data stays. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

// minio-js lists unfinished multipart uploads (GET /<bucket>?uploads) before every multipart upload
// and s3rver does not implement that call: answer "none" the way S3 does.
const EMPTY_MULTIPART_LIST = (bucket: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
  `<Bucket>${bucket}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
  '<MaxUploads>1000</MaxUploads></ListMultipartUploadsResult>';

async function launch(directory: string, port: number, requests: S3Request[]) {
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
  // Koa composes its middleware list when the server starts, so these run before s3rver's router.
  server.middleware.unshift(
    async (ctx, next) => {
      requests.push({ method: ctx.method, path: ctx.path, query: ctx.querystring });
      await next();
    },
    async (ctx, next) => {
      const bucket = ctx.path.split('/')[1] ?? '';
      if (ctx.method === 'GET' && 'uploads' in ctx.query && !ctx.path.slice(1).includes('/')) {
        ctx.status = 200;
        ctx.type = 'application/xml';
        ctx.body = EMPTY_MULTIPART_LIST(bucket);
        return;
      }
      await next();
    },
  );
  const address = await server.run();
  const http = server.httpServer as Server;
  return { server, http, port: address.port };
}

/** Starts s3rver on a free port over a temp directory, with the ListMultipartUploads answer. */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = tempDir('s3rver-');
  const requests: S3Request[] = [];
  let current: Awaited<ReturnType<typeof launch>> | null = await launch(directory, 0, requests);
  const port = current.port;
  const accessKey = 'S3RVER';
  const secretKey = 'S3RVER';

  async function stop(): Promise<void> {
    if (!current) return;
    const { http } = current;
    current = null;
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      // Keep-alive sockets from the minio client would hold the port open otherwise.
      http.closeAllConnections();
    });
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    accessKey,
    secretKey,
    requests,
    uploadsOf(bucket, key) {
      const path = `/${bucket}/${key}`;
      return requests.filter(
        (r) =>
          r.path === path &&
          ((r.method === 'PUT' && !r.query.includes('partNumber=')) ||
            (r.method === 'POST' && r.query.includes('uploadId='))),
      ).length;
    },
    storeConfig(bucket = 'recordings') {
      return {
        kind: 's3',
        endpoint: `http://127.0.0.1:${port}`,
        egressEndpoint: 'http://minio:9000',
        region: 'us-east-1',
        accessKey,
        secretKey,
        bucket,
        forcePathStyle: true,
        presignTtlSeconds: 300,
      };
    },
    stop,
    async restart() {
      await stop();
      current = await launch(directory, port, requests);
    },
    close: stop,
  };
}
