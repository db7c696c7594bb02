/** A post-call summary answer, as the summary model returns it, that fits the schema. */
export function summaryJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    summary: 'The caller asked about a vehicle.',
    intent: 'vehicle_information',
    outcome: 'resolved',
    vin: null,
    vehicle: null,
    appointment: null,
    followUpNeeded: false,
    sentiment: 'neutral',
    tags: ['inventory'],
    ...overrides,
  });
}
