import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testConfig } from '../../../test/helpers/app.js';
import { createTestDatabase, postgresUrl } from '../../../test/helpers/databases.js';
import { makeVin, newVehicle } from '../../../test/helpers/vehicles.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle, Dialect } from '../../db/index.js';
import { upsertVehicles } from '../../vehicle-lookup/vehicle-repository.js';

const civic = newVehicle();
const crv = newVehicle({
  vin: makeVin('2HKRW2H5', 'M', 'H', 412_345),
  year: 2021,
  model: 'CR-V',
  body: 'suv',
  price: 27_450,
});
const f150 = newVehicle({
  vin: makeVin('1FTFW1E8', 'R', 'F', 654_321),
  year: 2024,
  make: 'Ford',
  model: 'F-150',
  body: 'truck',
  price: 52_300,
  status: 'in_service',
  location: 'Service bay',
});
const hondas = Array.from({ length: 23 }, (_, i) =>
  newVehicle({ vin: makeVin('1HGCY1F3', 'P', 'A', 300_000 + i), model: 'Accord', year: 2023 }),
);
// Valid structure, wrong check digit.
const wrongCheckDigit = `${civic.vin.slice(0, 8)}${civic.vin[8] === '7' ? '8' : '7'}${civic.vin.slice(9)}`;
const unstocked = makeVin('5YJ3E1EA', 'P', 'F', 123_456);

async function stockedDatabase(dialect: Dialect): Promise<DatabaseHandle> {
  const database = await createTestDatabase(dialect);
  await upsertVehicles(database.db, [
    civic,
    crv,
    f150,
    ...hondas,
    newVehicle({ vin: wrongCheckDigit }),
  ]);
  return database;
}

const post = (payload: unknown, headers: Record<string, string> = {}): InjectOptions => ({
  method: 'POST',
  url: '/api/lookup-vehicle',
  payload: payload as InjectOptions['payload'],
  headers: { 'content-type': 'application/json', ...headers },
});

function expectClientError(response: { statusCode: number; json(): unknown }, status = 400) {
  expect(response.statusCode).toBe(status);
  expect(response.json()).toMatchObject({
    statusCode: status,
    error: expect.any(String),
    message: expect.any(String),
  });
}

describe('vehicle routes', () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await stockedDatabase('sqlite');
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  describe('POST /api/lookup-vehicle', () => {
    it('decodes a stocked VIN given in lower case with spaces and returns the vehicle', async () => {
      const spaced = civic.vin.toLowerCase().replace(/(.{3})/g, '$1 ');
      const response = await app.inject(post({ vin: spaced }));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        vin: civic.vin,
        inInventory: true,
        vehicle: { ...civic, id: expect.any(Number) },
        decode: { vin: civic.vin, valid: true, make: 'Honda', modelYear: 2022, warnings: [] },
      });
    });

    it('answers 200 with a null vehicle and the decode for a valid VIN not in stock', async () => {
      const response = await app.inject(post({ vin: unstocked }));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        vin: unstocked,
        inInventory: false,
        vehicle: null,
        decode: { make: 'Tesla', modelYear: 2023, country: 'United States' },
      });
    });

    it('matches a VIN whose check digit is wrong, with a warning', async () => {
      const response = await app.inject(post({ vin: wrongCheckDigit }));
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.inInventory).toBe(true);
      expect(body.decode.checkDigit).toMatchObject({ ok: false, actual: wrongCheckDigit[8] });
      expect(body.decode.warnings.map((w: { key: string }) => w.key)).toEqual(['check_digit']);
    });

    it('answers 400 naming every problem of an invalid VIN', async () => {
      const response = await app.inject(post({ vin: '1HGCM8263OA00435' }));
      expectClientError(response);
      expect(response.json().message).toMatch(/^Invalid VIN: .*I, O and Q.*; VIN must be 17/);
      expect(response.json().details.map((d: { key: string }) => d.key)).toEqual([
        'invalid_characters',
        'incomplete',
      ]);
    });

    it('answers 400 with a clear message for a bad body', async () => {
      const cases: [unknown, RegExp][] = [
        [{}, /^body\.vin: must be a string/],
        [{ vin: 17 }, /^body\.vin: must be a string/],
        [{ vin: null }, /^body\.vin: must be a string/],
        [{ vin: civic.vin, dealer: 'x' }, /Unrecognized key: "dealer"/],
        [[civic.vin], /the body must be a JSON object/],
        ['null', /the body must be a JSON object/],
        ['"1HGCM82633A004352"', /the body must be a JSON object/],
        ['{"vin": ', /not valid JSON/],
        [{ vin: 'x'.repeat(65) }, /body\.vin: is too long for a VIN/],
      ];
      for (const [payload, message] of cases) {
        const response = await app.inject(post(payload));
        expectClientError(response);
        expect(response.json().message, JSON.stringify(payload)).toMatch(message);
      }
    });

    it('never answers 5xx to malformed input', async () => {
      const bodies: unknown[] = [
        '',
        '[]',
        '{}',
        '0',
        'true',
        '{"vin": {"$gt": ""}}',
        '{"vin": ["1HGCM82633A004352"]}',
        '{"__proto__": {"vin": "1HGCM82633A004352"}}',
        '{"constructor": {"prototype": {}}}',
        JSON.stringify({ vin: '１ＨＧＣＭ８２６３３Ａ００４３５２' }),
        JSON.stringify({ vin: '1HGCM82633A00435😀' }),
        JSON.stringify({ vin: '1HGCM82633A004352\u0000' }),
        JSON.stringify({ vin: '\u202e253400A33628MCGH1' }),
        JSON.stringify({ vin: "1HG' OR '1'='1" }),
        JSON.stringify({ vin: 'É'.repeat(17) }),
        JSON.stringify({ vin: ' '.repeat(60) }),
        JSON.stringify({ vin: 'a'.repeat(200_000) }),
        JSON.stringify(Array.from({ length: 10_000 }, () => ({ vin: 'x' }))),
        '{"vin": "1HGCM82633A004352", "vin": 5}',
        '{'.repeat(5_000),
      ];
      for (const body of bodies) {
        const response = await app.inject(post(body));
        expect(response.statusCode, String(body).slice(0, 60)).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, String(body).slice(0, 60)).toBeLessThan(500);
        expect(response.json()).toHaveProperty('message');
      }
      const tooBig = await app.inject(post(JSON.stringify({ vin: 'a'.repeat(2_000_000) })));
      expectClientError(tooBig, 413);
      const notJson = await app.inject(
        post('vin=1HG', { 'content-type': 'application/x-www-form-urlencoded' }),
      );
      expectClientError(notJson, 415);
    });
  });

  describe('GET /api/vehicles/:vin', () => {
    it('returns the stocked vehicle; the VIN may be lower case or spaced', async () => {
      const response = await app.inject({
        method: 'GET',
        url: `/api/vehicles/${encodeURIComponent(crv.vin.toLowerCase().replace(/(.{3})/g, '$1 '))}`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        ...crv,
        id: expect.any(Number),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('answers 404 for a valid VIN not in stock and 400 for an invalid one', async () => {
      const missing = await app.inject({ method: 'GET', url: `/api/vehicles/${unstocked}` });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `No vehicle with VIN ${unstocked} in the inventory`,
      });
      const invalid = await app.inject({ method: 'GET', url: '/api/vehicles/ABC' });
      expectClientError(invalid);
      expect(invalid.json().message).toBe('Invalid VIN: VIN must be 17 characters; got 3');
      const huge = await app.inject({ method: 'GET', url: `/api/vehicles/${'A'.repeat(500)}` });
      expectClientError(huge, 414);
    });
  });

  describe('GET /api/vehicles', () => {
    it('pages through one make (any case) with an opaque cursor, 20 by default', async () => {
      const first = await app.inject({ method: 'GET', url: '/api/vehicles?make=HONDA' });
      expect(first.statusCode).toBe(200);
      const page = first.json();
      expect(page.items).toHaveLength(20);
      expect(page.nextCursor).toEqual(expect.any(String));
      const vins = page.items.map((v: { vin: string }) => v.vin);
      let cursor: string | null = page.nextCursor;
      while (cursor) {
        const next = await app.inject({
          method: 'GET',
          url: '/api/vehicles',
          query: { make: 'honda', limit: '7', cursor },
        });
        expect(next.statusCode).toBe(200);
        vins.push(...next.json().items.map((v: { vin: string }) => v.vin));
        cursor = next.json().nextCursor;
      }
      expect(vins).toEqual([civic.vin, crv.vin, ...hondas.map((v) => v.vin), wrongCheckDigit]);
    });

    it('filters by model, year, status, body, price and free text', async () => {
      const vins = async (query: Record<string, string>) => {
        const response = await app.inject({ method: 'GET', url: '/api/vehicles', query });
        expect(response.statusCode).toBe(200);
        return response.json().items.map((v: { vin: string }) => v.vin);
      };
      expect(await vins({ make: 'honda', model: 'cr-v' })).toEqual([crv.vin]);
      expect(await vins({ status: 'in_service' })).toEqual([f150.vin]);
      expect(await vins({ body: 'truck', year: '2024' })).toEqual([f150.vin]);
      expect(await vins({ priceMin: '27000', priceMax: '60000' })).toEqual([crv.vin, f150.vin]);
      expect(await vins({ q: 'ford f-150' })).toEqual([f150.vin]);
    });

    it('answers 400 for bad limits, cursors, unknown or repeated parameters', async () => {
      const cases: [string, RegExp][] = [
        ['limit=0', /querystring\.limit: Too small/],
        ['limit=101', /querystring\.limit: Too big/],
        ['limit=ten', /querystring\.limit/],
        ['year=199x', /querystring\.year/],
        ['status=lost', /querystring\.status/],
        ['priceMin=10&priceMax=5', /priceMin must not be above priceMax/],
        ['make=a&make=b', /querystring\.make/],
        ['colour=red', /Unrecognized key: "colour"/],
        ['cursor=abc', /^cursor is not valid/],
        [`cursor=${Buffer.from('["1"]').toString('base64url')}`, /^cursor is not valid/],
        [`q=${'x'.repeat(101)}`, /querystring\.q/],
      ];
      for (const [query, message] of cases) {
        const response = await app.inject({ method: 'GET', url: `/api/vehicles?${query}` });
        expectClientError(response);
        expect(response.json().message, query).toMatch(message);
      }
    });
  });

  describe('GET /api/vin/:vin/decode', () => {
    it('decodes a VIN, with a warning when the check digit is wrong', async () => {
      const ok = await app.inject({ method: 'GET', url: '/api/vin/1hgcm82633a004352/decode' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        vin: '1HGCM82633A004352',
        make: 'Honda',
        modelYear: 2003,
        checkDigit: { expected: '3', actual: '3', ok: true },
        codes: [{ code: 0 }],
      });
      const warned = await app.inject({ method: 'GET', url: '/api/vin/1HGCM82643A004352/decode' });
      expect(warned.statusCode).toBe(200);
      expect(warned.json()).toMatchObject({
        valid: true,
        checkDigit: { ok: false },
        warnings: [{ key: 'check_digit', code: 1 }],
      });
    });

    it('answers 400 with the issues for a VIN that cannot be one', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/api/vin/1HGCM8263QA00435Z/decode',
      });
      expectClientError(response);
      expect(response.json().details).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: 'invalid_characters' })]),
      );
    });
  });

  it('documents the vehicle routes in the OpenAPI document', async () => {
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const [route, method] of [
      ['/api/lookup-vehicle', 'post'],
      ['/api/vehicles', 'get'],
      ['/api/vehicles/{vin}', 'get'],
      ['/api/vin/{vin}/decode', 'get'],
    ] as const) {
      expect(docs.paths[route][method].tags).toEqual(['vehicles']);
      expect(Object.keys(docs.paths[route][method].responses)).toContain('400');
    }
  });
});

describe('vehicle routes on PostgreSQL', () => {
  it('looks up, lists and answers 404 the same way', async (ctx) => {
    if (!postgresUrl()) ctx.skip();
    const database = await stockedDatabase('postgres');
    try {
      const app = await buildTestApp({ database });
      const lookup = await app.inject(post({ vin: f150.vin.toLowerCase() }));
      expect(lookup.json()).toMatchObject({ inInventory: true, vehicle: { model: 'F-150' } });
      const list = await app.inject({ method: 'GET', url: '/api/vehicles?make=Honda&limit=20' });
      expect(list.json().items).toHaveLength(20);
      const next = await app.inject({
        method: 'GET',
        url: '/api/vehicles',
        query: { make: 'honda', cursor: list.json().nextCursor },
      });
      expect(next.json()).toMatchObject({ items: expect.any(Array), nextCursor: null });
      expect(next.json().items).toHaveLength(6);
      const missing = await app.inject({ method: 'GET', url: `/api/vehicles/${unstocked}` });
      expect(missing.statusCode).toBe(404);
      await app.close();
    } finally {
      await database.destroy();
    }
  });
});
