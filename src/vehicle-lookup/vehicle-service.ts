import type { Db } from '../db/index.js';
import { getVehicleByVin } from './vehicle-repository.js';
import type { Vehicle } from './vehicle.js';
import { type DecodeOptions, type VinDecode, decodeVin } from './vin-decoder.js';
import { type VinIssue, validateVin } from './vin.js';

/**
 * A VIN that cannot be one (wrong length, letters I/O/Q, a bad year code...). A wrong check digit
 * alone is not this error: real vehicles carry accepted wrong check digits, so it is a warning.
 */
export class InvalidVinError extends Error {
  constructor(
    /** The input after normalization (upper case, spaces and dashes removed). */
    readonly vin: string,
    readonly issues: readonly VinIssue[],
  ) {
    super(`Invalid VIN: ${issues.map((issue) => issue.message).join('; ')}`);
    this.name = 'InvalidVinError';
  }
}

/** The normalized VIN, or `InvalidVinError` naming every structural problem. */
export function requireValidVin(input: string): string {
  const validation = validateVin(input);
  if (!validation.ok) throw new InvalidVinError(validation.vin, validation.errors);
  return validation.vin;
}

/** The offline decode of a structurally valid VIN, or `InvalidVinError`. */
export function decodeValidVin(input: string, options?: DecodeOptions): VinDecode {
  const decode = decodeVin(input, options);
  if (!decode.valid) throw new InvalidVinError(decode.vin, decode.errors);
  return decode;
}

/** What a VIN lookup found: the decode always, the stocked vehicle when there is one. */
export interface VehicleLookup {
  vin: string;
  decode: VinDecode;
  vehicle: Vehicle | null;
  /** The VIN is in the dealership's inventory (any status). */
  matched: boolean;
  /** Problems worth reading back to the caller, e.g. a check digit that does not calculate. */
  warnings: VinIssue[];
}

/**
 * Decodes a VIN (any case, spaces and dashes allowed) and matches it against the inventory.
 * Throws `InvalidVinError` for a structurally invalid VIN; the agent's lookup_vehicle tool and
 * `POST /api/lookup-vehicle` both call this.
 */
export async function lookupVehicle(
  db: Db,
  vinInput: string,
  options?: DecodeOptions,
): Promise<VehicleLookup> {
  const decode = decodeValidVin(vinInput, options);
  const vehicle = await getVehicleByVin(db, decode.vin);
  return {
    vin: decode.vin,
    decode,
    vehicle,
    matched: vehicle !== null,
    warnings: decode.warnings,
  };
}
