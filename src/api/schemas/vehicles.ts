import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../../vehicle-lookup/vehicle-repository.js';
import { BODY_STYLES, VEHICLE_STATUSES } from '../../vehicle-lookup/vehicle.js';

// A VIN as typed or read out: any case, spaces and dashes allowed; the route normalizes and
// validates it so the 400 can name each VIN problem. Longer input is rejected unread.
const vinInput = z
  .string({ error: 'must be a string (the 17-character VIN)' })
  .max(64, 'is too long for a VIN');

export const vinParamsSchema = z.strictObject({ vin: vinInput });

export const lookupVehicleBodySchema = z.strictObject(
  { vin: vinInput },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'the body must be a JSON object like {"vin": "1HGCM82633A004352"}'
        : undefined,
  },
);

export const vehicleSchema = z.object({
  id: z.number().int(),
  vin: z.string(),
  year: z.number().int(),
  make: z.string(),
  model: z.string(),
  trim: z.string().nullable(),
  body: z.enum(BODY_STYLES),
  color: z.string().nullable(),
  mileage: z.number().int(),
  price: z.number().int().describe('US dollars'),
  status: z.enum(VEHICLE_STATUSES),
  location: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const vinIssueSchema = z.object({
  code: z.number().int().describe('NHTSA vPIC error code'),
  key: z.string(),
  message: z.string(),
  position: z.number().int().optional(),
});

export const vinDecodeSchema = z.object({
  vin: z.string(),
  valid: z.boolean(),
  wmi: z.string().nullable(),
  make: z.string().nullable(),
  possibleMakes: z.array(z.string()),
  makeConclusive: z.boolean(),
  manufacturer: z.string().nullable(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  vehicleType: z.string().nullable(),
  lowVolume: z.boolean(),
  modelYear: z.number().int().nullable(),
  modelYearCandidates: z.array(z.number().int()),
  modelYearConclusive: z.boolean(),
  plantCode: z.string().nullable(),
  serial: z.string().nullable(),
  checkDigit: z.object({ expected: z.string().nullable(), actual: z.string(), ok: z.boolean() }),
  codes: z.array(z.object({ code: z.number().int(), text: z.string() })),
  errors: z.array(vinIssueSchema),
  warnings: z.array(vinIssueSchema),
});

export const lookupVehicleResponseSchema = z.object({
  vin: z.string(),
  inInventory: z.boolean(),
  vehicle: vehicleSchema.nullable(),
  decode: vinDecodeSchema,
});

const wholeNumber = () => z.coerce.number().int().min(0);

export const listVehiclesQuerySchema = z
  .strictObject({
    make: z.string().trim().min(1).max(40).optional(),
    model: z.string().trim().min(1).max(60).optional(),
    year: z.coerce.number().int().min(1900).max(2100).optional(),
    status: z.enum(VEHICLE_STATUSES).optional(),
    body: z.enum(BODY_STYLES).optional(),
    priceMin: wholeNumber().optional(),
    priceMax: wholeNumber().optional(),
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => q.priceMin === undefined || q.priceMax === undefined || q.priceMin <= q.priceMax, {
    message: 'priceMin must not be above priceMax',
    path: ['priceMin'],
  });

export const vehiclePageSchema = z.object({
  items: z.array(vehicleSchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('pass back as cursor for the next page; null at the end'),
});
