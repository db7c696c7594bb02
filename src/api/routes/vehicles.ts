import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { InvalidCursorError } from '../../db/cursor.js';
import { getVehicleByVin, listVehicles } from '../../vehicle-lookup/vehicle-repository.js';
import {
  InvalidVinError,
  decodeValidVin,
  lookupVehicle,
  requireValidVin,
} from '../../vehicle-lookup/vehicle-service.js';
import { fastSerializerCompiler } from '../fast-serializer.js';
import { errorSchema } from '../schemas/common.js';
import {
  listVehiclesQuerySchema,
  lookupVehicleBodySchema,
  lookupVehicleResponseSchema,
  vehiclePageSchema,
  vehicleSchema,
  vinDecodeSchema,
  vinParamsSchema,
} from '../schemas/vehicles.js';

const tags = ['vehicles'];

// The 400 for a VIN names every problem, with the vPIC-style issues as details.
function invalidVin(reply: FastifyReply, error: unknown) {
  if (!(error instanceof InvalidVinError)) throw error;
  return reply
    .code(400)
    .send({ statusCode: 400, error: 'Bad Request', message: error.message, details: error.issues });
}

/**
 * The vehicle service: VIN lookup (decode + inventory), the inventory list and one vehicle, and a
 * bare VIN decode. VINs are accepted in any case, with spaces or dashes.
 */
const vehicleRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/api/lookup-vehicle',
    {
      config: { access: 'public' },
      serializerCompiler: fastSerializerCompiler,
      schema: {
        tags,
        summary: 'Decode a VIN and match it against the inventory',
        description:
          'Answers 200 for any structurally valid VIN, with `vehicle: null` and `inInventory: false` when the dealership does not stock it (the decode is still useful). A wrong check digit is a warning in `decode.warnings`, not an error.',
        body: lookupVehicleBodySchema,
        response: { 200: lookupVehicleResponseSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      try {
        const found = await lookupVehicle(fastify.db, request.body.vin);
        return {
          vin: found.vin,
          inInventory: found.matched,
          vehicle: found.vehicle,
          decode: found.decode,
        };
      } catch (error) {
        return invalidVin(reply, error);
      }
    },
  );

  fastify.get(
    '/api/vehicles/:vin',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One vehicle of the inventory by VIN',
        params: vinParamsSchema,
        response: { 200: vehicleSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      let vin: string;
      try {
        vin = requireValidVin(request.params.vin);
      } catch (error) {
        return invalidVin(reply, error);
      }
      const vehicle = await getVehicleByVin(fastify.db, vin);
      if (vehicle === null)
        throw fastify.httpErrors.notFound(`No vehicle with VIN ${vin} in the inventory`);
      return vehicle;
    },
  );

  fastify.get(
    '/api/vehicles',
    {
      config: { access: 'public' },
      serializerCompiler: fastSerializerCompiler,
      schema: {
        tags,
        summary: 'The inventory, filtered, in pages',
        description:
          'Keyset pagination in a stable order: pass `nextCursor` back as `cursor` for the next page. `make` and `model` ignore case; `q` matches every word against make, model, trim, color, year or the start of the VIN.',
        querystring: listVehiclesQuerySchema,
        response: { 200: vehiclePageSchema, 400: errorSchema },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      try {
        return await listVehicles(fastify.db, filters, { limit, cursor });
      } catch (error) {
        if (error instanceof InvalidCursorError) throw fastify.httpErrors.badRequest(error.message);
        throw error;
      }
    },
  );

  fastify.get(
    '/api/vin/:vin/decode',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Decode a VIN offline (maker, country, model year, plant, check digit)',
        description:
          'A wrong check digit still answers 200 with a warning; a VIN that cannot be one answers 400 naming each problem.',
        params: vinParamsSchema,
        response: { 200: vinDecodeSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      try {
        return decodeValidVin(request.params.vin);
      } catch (error) {
        return invalidVin(reply, error);
      }
    },
  );
};

export default vehicleRoutes;
