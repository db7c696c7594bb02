/** Whether a stocked vehicle can be sold, has been sold, or is in the shop. */
export const VEHICLE_STATUSES = ['available', 'sold', 'in_service'] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

/**
 * Body styles, a closed list so callers can ask for "a truck" or "an SUV"; an import maps the
 * dealer's own wording onto these (the table has the same CHECK constraint).
 */
export const BODY_STYLES = [
  'sedan',
  'coupe',
  'hatchback',
  'wagon',
  'convertible',
  'suv',
  'truck',
  'van',
  'minivan',
] as const;
export type BodyStyle = (typeof BODY_STYLES)[number];

/** A vehicle in the dealership's inventory. Prices in whole US dollars; times ISO-8601 UTC. */
export interface Vehicle {
  id: number;
  vin: string;
  year: number;
  make: string;
  model: string;
  trim: string | null;
  body: BodyStyle;
  color: string | null;
  mileage: number;
  price: number;
  status: VehicleStatus;
  location: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What an import or the seed writes: a vehicle without the fields the database keeps. */
export type NewVehicle = Omit<Vehicle, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * The fields of a {@link NewVehicle} besides its VIN (the key), in the order files and exports
 * list them: what an import may change on a stored vehicle.
 */
export const VEHICLE_FIELDS = [
  'year',
  'make',
  'model',
  'trim',
  'body',
  'color',
  'mileage',
  'price',
  'status',
  'location',
] as const satisfies readonly Exclude<keyof NewVehicle, 'vin'>[];

// What callers and staff say for a make, keyed by the lower-cased spoken or typed form.
const MAKE_ALIASES: Readonly<Record<string, string>> = {
  chevy: 'chevrolet',
  vw: 'volkswagen',
  mercedes: 'mercedes-benz',
  benz: 'mercedes-benz',
  'mercedes benz': 'mercedes-benz',
  'land-rover': 'land rover',
  'alfa-romeo': 'alfa romeo',
};

/** The lower-case form of a make the `lower(make)` indexes compare against ("Chevy" -> "chevrolet"). */
export function makeKey(make: string): string {
  const key = make.trim().toLowerCase().replace(/\s+/g, ' ');
  return MAKE_ALIASES[key] ?? key;
}
