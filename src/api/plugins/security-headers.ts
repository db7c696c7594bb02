import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The helmet options: the CSP lets the console load only its own scripts, styles and images,
 * fetch the API and play recordings from the audio route; nothing from other hosts, no inline
 * script, no framing. HTTPS-only headers (HSTS, upgrading requests) are sent only when cookies
 * are Secure, so a console served over plain HTTP on a LAN still works.
 */
export function helmetOptions(https: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'media-src': ["'self'", 'blob:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    // The audio route is same-origin; other sites must not embed or read our responses.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  };
}

/**
 * The headers helmet's middleware sets with these options, recorded once. They depend on nothing
 * in the request (no CSP nonces, no functions in directives): @fastify/helmet rebuilt the whole
 * middleware, CSP parsing included, for every request. The one header helmet removes,
 * X-Powered-By, is never set by Node or Fastify.
 */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    failure = error;
  });
  if (failure) throw failure;
  return Object.freeze(headers);
}

/** Security headers on every response, as helmet sets them (see {@link helmetOptions}). */
export default fp(
  async (fastify) => {
    const headers = helmetHeaders(helmetOptions(fastify.config.console.cookieSecure));
    // Reply headers, not the raw response's (as helmet sets them): Node then writes every header
    // from one object, a few microseconds a response less. Error replies keep them too.
    fastify.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);
