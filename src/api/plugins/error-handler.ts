import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function validationDetails(error: FastifyError): { message: string; details: unknown } {
  const issues = (error.validation ?? []).map((v) => ({
    // instancePath is a JSON pointer ('' or '/' for the whole input, '/vin' for a field).
    path: [error.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join(
      '.',
    ),
    message: v.message ?? 'invalid',
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return { message: summary || error.message, details: issues };
}

/**
 * One error handler for the whole API: validation failures become 400 with every problem named;
 * 4xx keep their message; 5xx are logged with the request and answered without details.
 */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
        const { message, details } = validationDetails(error);
        return reply.code(400).send({ statusCode: 400, error: REASONS[400], message, details });
      }
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error(
          { err: error, request: { method: request.method, url: request.routeOptions.url } },
          'request failed',
        );
        return reply.code(status).send({
          statusCode: status,
          error: REASONS[status] ?? 'Error',
          message: 'Something went wrong on our side.',
        });
      }
      return reply
        .code(status)
        .send({ statusCode: status, error: REASONS[status] ?? 'Error', message: error.message });
    });
    fastify.setNotFoundHandler((request, reply) =>
      reply.code(404).send({
        statusCode: 404,
        error: REASONS[404],
        message: `No route for ${request.method} ${request.url.split('?')[0]}`,
      }),
    );
  },
  { name: 'error-handler' },
);
