import { describe, expect, it } from 'vitest';
import { maskDigits, maskPhoneFields, maskPhoneNumber, maskPhoneText } from './phone-masking.js';

const masking = { console: { maskPhoneNumbersForViewer: true } } as const;
const noMasking = { console: { maskPhoneNumbersForViewer: false } } as const;
const viewer = { role: 'viewer' } as const;
const supervisor = { role: 'supervisor' } as const;

describe('phone number masking', () => {
  it('keeps only the last four digits', () => {
    expect(maskDigits('+15551234567')).toBe('+1 •••• ••• 4567');
    expect(maskDigits('+442079460958')).toBe('+•• •••• 0958');
    expect(maskDigits('(555) 123-4567')).toBe('•••• 4567');
    expect(maskDigits('sip_+15551234567')).toBe('+1 •••• ••• 4567');
    expect(maskDigits('1234')).toBe('••••');
    expect(maskDigits('anonymous')).toBe('••••');
  });

  it('masks for viewers when configured, never for supervisors', () => {
    expect(maskPhoneNumber('+15551234567', viewer, masking)).toBe('+1 •••• ••• 4567');
    expect(maskPhoneNumber('+15551234567', viewer, noMasking)).toBe('+15551234567');
    expect(maskPhoneNumber('+15551234567', supervisor, masking)).toBe('+15551234567');
    expect(maskPhoneNumber(null, viewer, masking)).toBeNull();
  });

  it('masks phone fields and phone-like runs in structured data and text', () => {
    const args = {
      name: 'Dana',
      callback_number: '+15559876543',
      slot: '2026-11-21T10:00:00Z',
      vin: '1HGCM82633A004352',
      note: 'call me on 555 987 6543 please',
      nested: [{ phone: '555-987-6543' }],
    };
    expect(maskPhoneFields(args, viewer, masking)).toEqual({
      name: 'Dana',
      callback_number: '+1 •••• ••• 6543',
      slot: '2026-11-21T10:00:00Z',
      vin: '1HGCM82633A004352',
      note: 'call me on •••• 6543 please',
      nested: [{ phone: '•••• 6543' }],
    });
    expect(maskPhoneFields(args, supervisor, masking)).toBe(args);
    expect(maskPhoneText('Price is $24,500 for the 2021 model', viewer, masking)).toBe(
      'Price is $24,500 for the 2021 model',
    );
  });
});
