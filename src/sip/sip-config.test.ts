import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/app.js';
import { loadSipConfig, parseSipConfig, SipConfigError } from './sip-config.js';

const options = { env: {}, defaultAgentName: 'callcenter-agent', fileName: 'config/sip.yaml' };

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseSipConfig(text, { ...options, env });
  } catch (error) {
    expect(error).toBeInstanceOf(SipConfigError);
    return [...(error as SipConfigError).problems];
  }
  throw new Error('expected the file to be rejected');
}

const MINIMAL = `inbound:
  name: main
  numbers: ['+15555550100']
  allowedAddresses: [192.0.2.0/24]
`;

describe('config/sip.yaml', () => {
  it('fills defaults: agent from AGENT_NAME, individual rooms prefixed "call", SRTP allowed', () => {
    const config = parseSipConfig(MINIMAL, options);
    expect(config).toEqual({
      inbound: {
        name: 'main',
        numbers: ['+15555550100'],
        allowedAddresses: ['192.0.2.0/24'],
        allowedNumbers: [],
        mediaEncryption: 'allow',
        krisp: false,
        headersToAttributes: {},
      },
      dispatch: {
        roomPrefix: 'call',
        agentName: 'callcenter-agent',
        metadata: {},
        attributes: {},
        emptyTimeoutSeconds: 30,
        departureTimeoutSeconds: 20,
        hidePhoneNumber: false,
      },
      transferTargets: {},
    });
  });

  it('names the key path and the line:col of every problem, in file order', () => {
    const text = `inbound:
  name: main
  numbers:
    - '+15555550100'
    - '555-0100'
  allowedAdresses: [192.0.2.0/24]
  mediaEncryption: maybe
dispatch:
  emptyTimeoutSeconds: -1
transferTargets:
  sales: 'call sales'
`;
    expect(problemsOf(text)).toEqual([
      'config/sip.yaml:5:7 inbound.numbers[1]: expected E.164 like +15551234567',
      'config/sip.yaml:6:3 inbound.allowedAdresses: unknown key (check the spelling)',
      'config/sip.yaml:7:20 inbound.mediaEncryption: Invalid option: expected one of "disable"|"allow"|"require"',
      'config/sip.yaml:9:24 dispatch.emptyTimeoutSeconds: Too small: expected number to be >=0',
      'config/sip.yaml:11:10 transferTargets.sales: expected tel:+15551234567 or sip:user@host',
    ]);
  });

  it('points at the parent when a required key is missing', () => {
    expect(problemsOf('inbound:\n  name: main\n  allowedAddresses: [192.0.2.1]\n')).toEqual([
      'config/sip.yaml:2:3 inbound.numbers: Invalid input: expected array, received undefined',
    ]);
    expect(problemsOf('# nothing yet\n')).toEqual([
      'config/sip.yaml:1:1 inbound: Invalid input: expected object, received undefined',
    ]);
  });

  it('reports YAML syntax errors at their line', () => {
    expect(problemsOf('inbound:\n  name: a\n  name: b\n')).toEqual([
      'config/sip.yaml:3:3 Map keys must be unique',
    ]);
  });

  it('refuses an open trunk: addresses or digest auth are required', () => {
    expect(problemsOf("inbound:\n  name: main\n  numbers: ['+15555550100']\n")).toEqual([
      "config/sip.yaml:2:3 inbound.allowedAddresses: list the carrier's signalling addresses, or set auth (digest), or both",
    ]);
  });

  it('checks addresses, lengths and transfer URIs', () => {
    const text = `inbound:
  name: main
  numbers: ['+15555550100']
  allowedAddresses: [192.0.2.0/33, 'carrier.example', '2001:db8::/32']
  auth: { username: u, password: short }
transferTargets:
  sales: 'sip:desk@pbx.example.com'
  Service: 'tel:+15555550122'
`;
    expect(problemsOf(text)).toEqual([
      'config/sip.yaml:4:22 inbound.allowedAddresses[0]: expected an IP address or CIDR range like 203.0.113.0/24',
      'config/sip.yaml:4:36 inbound.allowedAddresses[1]: expected an IP address or CIDR range like 203.0.113.0/24',
      'config/sip.yaml:5:34 inbound.auth.password: expected at least 8 characters',
      'config/sip.yaml:8:3 transferTargets.Service: expected a lowercase name like sales',
    ]);
  });

  it('resolves ${NAME} references from the injected environment only', () => {
    const text = `${MINIMAL}  auth:
    username: dealer
    password: \${SIP_INBOUND_PASSWORD}
`;
    const config = parseSipConfig(text, {
      ...options,
      env: { SIP_INBOUND_PASSWORD: 'from-the-env-record' },
    });
    expect(config.inbound.auth).toEqual({ username: 'dealer', password: 'from-the-env-record' });
    expect(problemsOf(text)).toEqual([
      'config/sip.yaml:7:15 inbound.auth.password: environment variable SIP_INBOUND_PASSWORD is not set',
    ]);
  });

  it('loads the shipped example as is', async () => {
    const config = await loadSipConfig(path.resolve('config/sip.yaml'), {
      env: {},
      defaultAgentName: 'callcenter-agent',
    });
    expect(config.inbound.numbers).toEqual(['+15555550100']);
    expect(config.transferTargets).toEqual({
      sales: 'tel:+15555550111',
      service: 'tel:+15555550122',
    });
    expect(config.outbound?.name).toBe('dealership-callbacks');
  });

  it('names the file it cannot read', async () => {
    const missing = path.join(tempDir(), 'nope.yaml');
    await expect(loadSipConfig(missing, options)).rejects.toThrow(
      `${missing}: cannot read the file (ENOENT)`,
    );
    const file = path.join(tempDir(), 'sip.yaml');
    writeFileSync(file, 'inbound: [');
    await expect(loadSipConfig(file, options)).rejects.toThrow(/sip\.yaml:1:11 /);
  });
});
