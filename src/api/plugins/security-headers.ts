import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Security headers on every response (helmet). The CSP lets the console load only its own
 * scripts, styles and images, fetch the API and play recordings from the audio route; nothing
 * from other hosts, no inline script, no framing. HTTPS-only headers (HSTS, upgrading requests)
 * are sent only when cookies are Secure, so a console served over plain HTTP on a LAN still works.
 */
export default fp(
  async (fastify) => {
    const https = fastify.config.console.cookieSecure;
    await fastify.register(helmet, {
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
    });
  },
  { name: 'security-headers' },
);
