import { isLightVehicle, type VehicleType } from './wmi-table.js';

/** The 30 position-10 codes in cycle order (49 CFR 565.15 Table VII); never I, O, Q, U, Z or 0. */
export const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

/** Both model years a position-10 code can stand for, oldest first; empty for a non-year code. */
export function modelYearsForCode(code: string): number[] {
  const at = code.length === 1 ? YEAR_CODES.indexOf(code.toUpperCase()) : -1;
  return at < 0 ? [] : [1980 + at, 2010 + at];
}

/** Resolved model year of a 17-character VIN. */
export interface ModelYearResult {
  modelYear: number | null;
  candidates: number[];
  /** True only when the position-7 rule applies (car, MPV, light truck) and settles the cycle. */
  conclusive: boolean;
}

/**
 * Resolves position 10 with the position-7 rule for light vehicles. For other or unknown types the
 * rule is undefined, so (like vPIC's fVinModelYear2) take the newer cycle unless it lies more than
 * two years ahead, and mark the result inconclusive.
 */
export function resolveModelYear(
  vin: string,
  vehicleType: VehicleType | null,
  currentYear: number,
): ModelYearResult {
  const candidates = modelYearsForCode(vin.charAt(9));
  const [older, newer] = candidates;
  if (older === undefined || newer === undefined) {
    return { modelYear: null, candidates, conclusive: false };
  }
  const pos7IsDigit = /[0-9]/.test(vin.charAt(6));
  if (vehicleType !== null && isLightVehicle(vehicleType)) {
    return { modelYear: pos7IsDigit ? older : newer, candidates, conclusive: true };
  }
  if (vehicleType === null) {
    // Unknown maker: most callers of a dealership drive light vehicles, so the position-7 rule is
    // the better guess, but it stays inconclusive and never lands in the future.
    const guess = pos7IsDigit ? older : newer;
    return {
      modelYear: guess > currentYear + 2 ? older : guess,
      candidates,
      conclusive: false,
    };
  }
  return { modelYear: newer > currentYear + 2 ? older : newer, candidates, conclusive: false };
}
