// The parts of s3rver (a Koa app, no bundled types) that the test S3 server uses.
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
  }

  interface KoaContext {
    method: string;
    path: string;
    querystring: string;
    query: Record<string, unknown>;
    status: number;
    type: string;
    body: unknown;
  }

  export type S3rverMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware list; composed when the server starts. */
    middleware: S3rverMiddleware[];
    httpServer: Server | undefined;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
