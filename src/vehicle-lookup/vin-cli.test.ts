import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./vin-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function vin(args: string[], input = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vin CLI', () => {
  it('extract: one JSON line per input line, in order, exactly vin/status/candidates', () => {
    const input = [
      'one H G C M eight two six three three A zero zero four three five two',
      '',
      'it starts with one H G',
      'I need an oil change',
      'one H G C N eight two six three three A zero zero four three five two',
      'W B S P M nine C five two B E two zero nine nine seven A',
    ].join('\n');
    const r = vin(['extract'], `${input}\r\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      '{"vin":"1HGCM82633A004352","status":"valid","candidates":["1HGCM82633A004352"]}',
      '{"vin":null,"status":"none","candidates":[]}',
      '{"vin":null,"status":"incomplete","candidates":[]}',
      '{"vin":null,"status":"none","candidates":[]}',
      '{"vin":null,"status":"ambiguous","candidates":["1HGCM82633A004352","1HGCN8263EA004352","1HGCN8263VA004352"]}',
      '{"vin":"WBSPM9C52BE209978","status":"corrected","candidates":["WBSPM9C52BE209978"]}',
      '',
    ]);
  });

  it('extract: keeps alignment for a large input', () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      i % 2 === 0 ? '1 H G C M 8 2 6 3 3 A 0 0 4 3 5 2' : '',
    );
    const r = vin(['extract'], `${lines.join('\n')}\n`);
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(2000);
    expect(out[1998]).toContain('"status":"valid"');
    expect(out[1999]).toBe('{"vin":null,"status":"none","candidates":[]}');
  });

  it('decode: pretty JSON, exit 0 for a valid VIN', () => {
    const r = vin(['decode', '1HGCM82633A004352']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('{\n  "vin": "1HGCM82633A004352",')).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ make: 'Honda', modelYear: 2003, valid: true });
  });

  it('decode: exit 2 for an invalid VIN, still printing the errors', () => {
    const r = vin(['decode', '1HGCM8263']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: false,
      codes: [{ code: 6, text: 'Incomplete VIN' }],
    });
  });

  it.each([[[]], [['frobnicate']], [['decode']], [['decode', 'A', 'B']], [['extract', '--nope']]])(
    'exit 64 with a usage line for %j',
    (args) => {
      const r = vin(args);
      expect(r.code).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^usage: vin extract/);
    },
  );
});
