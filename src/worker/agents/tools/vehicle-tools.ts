import { llm } from '@livekit/agents';
import dedent from 'dedent';
import { z } from 'zod';
import type { CallVehicle } from '../../../calls/call.js';
import { searchInventory } from '../../../vehicle-lookup/vehicle-repository.js';
import {
  InvalidVinError,
  lookupVehicle,
  type VehicleLookup,
} from '../../../vehicle-lookup/vehicle-service.js';
import { BODY_STYLES, type Vehicle } from '../../../vehicle-lookup/vehicle.js';
import { spellVinForSpeech } from '../../../vehicle-lookup/vin-speech.js';
import type { CallData } from '../../call-data.js';
import { defineTool } from './define-tool.js';

/** What the call record keeps about a looked-up vehicle. */
export function toCallVehicle(lookup: VehicleLookup): CallVehicle {
  const stock = lookup.vehicle;
  return {
    vin: lookup.vin,
    year: stock?.year ?? lookup.decode.modelYear,
    make: stock?.make ?? lookup.decode.make,
    model: stock?.model ?? null,
    trim: stock?.trim ?? null,
    inInventory: stock !== null,
    price: stock?.price ?? null,
    status: stock?.status ?? null,
  };
}

/** "2019 Honda Civic": how the agent names a vehicle (missing parts left out). */
export function vehicleTitle(vehicle: Pick<CallVehicle, 'year' | 'make' | 'model'>): string {
  return [vehicle.year, vehicle.make, vehicle.model].filter((p) => p !== null).join(' ');
}

function describeStock(vehicle: Vehicle) {
  return {
    title: `${vehicle.year} ${vehicle.make} ${vehicle.model}${vehicle.trim ? ` ${vehicle.trim}` : ''}`,
    body: vehicle.body,
    color: vehicle.color,
    mileage: vehicle.mileage,
    price_usd: vehicle.price,
    status: vehicle.status,
    vin_last_six: vehicle.vin.slice(-6),
    vin: vehicle.vin,
  };
}

/** Decodes and matches a confirmed VIN, records it on the call, and moves to providing details. */
export async function lookUpAndRecord(data: CallData, vin: string, reason: string) {
  let lookup: VehicleLookup;
  try {
    lookup = await lookupVehicle(data.db, vin, { currentYear: data.clock().getUTCFullYear() + 1 });
  } catch (error) {
    if (error instanceof InvalidVinError) {
      throw new llm.ToolError(
        `That VIN cannot be right (${error.issues.map((i) => i.message).join('; ')}). ` +
          'Ask the caller to read it again, three characters at a time.',
      );
    }
    throw error;
  }
  const vehicle = toCallVehicle(lookup);
  if (data.call.canMoveTo('vehicle_lookup')) data.call.transition('vehicle_lookup', reason);
  data.call.transition('providing_details', 'vehicle looked up', { vin: lookup.vin, vehicle });
  return {
    vin: lookup.vin,
    vin_read_back: spellVinForSpeech(lookup.vin),
    decoded: {
      year: lookup.decode.modelYear,
      make: lookup.decode.make,
      manufacturer: lookup.decode.manufacturer,
      country: lookup.decode.country,
    },
    in_inventory: lookup.vehicle ? describeStock(lookup.vehicle) : null,
    check_digit_warning: lookup.warnings.length > 0,
    say: lookup.vehicle
      ? `Confirm it is the ${vehicleTitle(vehicle)}, then answer from in_inventory only.`
      : `It is not in our inventory. Confirm it is a ${vehicleTitle(vehicle)} and say what you can do (service, trade-in).`,
  };
}

export const lookupVehicleTool = defineTool({
  name: 'lookup_vehicle',
  description: dedent`
    Decode a complete 17-character VIN and check whether that vehicle is in our inventory.
    Call when: you have a full VIN the caller confirmed (for a VIN read out over the phone use capture_vin first).
    Do not call when: you have only part of a VIN, or to search for cars by make or model (use search_inventory).`,
  parameters: z.object({
    vin: z.string().min(11).max(40).describe('The 17-character VIN'),
  }),
  execute: async ({ vin }, { ctx }) => lookUpAndRecord(ctx.userData, vin, 'lookup_vehicle'),
});

export const searchInventoryTool = defineTool({
  name: 'search_inventory',
  description: dedent`
    Search the vehicles we have in stock by make, model, year, price range or body style.
    Call when: the caller asks what we have, without a VIN ("any used SUVs under 30 thousand?").
    Do not call when: the caller gave a VIN (use capture_vin or lookup_vehicle). Mention only vehicles this returns.`,
  parameters: z.object({
    make: z.string().max(40).optional(),
    model: z.string().max(40).optional(),
    year_min: z.number().int().min(1980).max(2100).optional(),
    year_max: z.number().int().min(1980).max(2100).optional(),
    price_max_usd: z.number().int().min(0).optional(),
    price_min_usd: z.number().int().min(0).optional(),
    body: z.enum(BODY_STYLES).optional(),
  }),
  execute: async (args, { ctx }) => {
    const data = ctx.userData;
    if (data.call.canMoveTo('vehicle_lookup'))
      data.call.transition('vehicle_lookup', 'search_inventory');
    const result = await searchInventory(data.db, {
      make: args.make,
      model: args.model,
      yearFrom: args.year_min,
      yearTo: args.year_max,
      priceMin: args.price_min_usd,
      priceMax: args.price_max_usd,
      body: args.body,
      limit: 5,
    });
    if (result.vehicles.length === 0) {
      data.call.transition('information_gathering', 'inventory search found nothing');
      return {
        count: 0,
        vehicles: [],
        say: 'Nothing in stock matches. Say so; do not suggest vehicles that were not returned.',
      };
    }
    data.call.transition('providing_details', 'inventory search found vehicles');
    return {
      count: result.vehicles.length,
      more_available: result.hasMore,
      vehicles: result.vehicles.map(describeStock),
    };
  },
});
