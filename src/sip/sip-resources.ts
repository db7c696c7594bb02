import { createHmac } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { SIPMediaEncryption, SIPTransport } from '@livekit/protocol';
import {
  RoomAgentDispatch,
  RoomConfiguration,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPOutboundTrunkInfo,
} from 'livekit-server-sdk';
import { dispatchRuleName, type OutboundConfig, type SipConfig } from './sip-config.js';

/**
 * The SIP trunks and dispatch rule `config/sip.yaml` describes, as LiveKit objects, and the fields
 * compared to decide whether what LiveKit has must be updated.
 */

/** The `managedBy` value in the metadata of every resource provisioning creates. */
export const MANAGED_BY = 'dealership-voice-line';

export type SipRole = 'inbound' | 'dispatch' | 'outbound';
export type SipResourceKind = 'inbound-trunk' | 'dispatch-rule' | 'outbound-trunk';

interface Marker {
  managedBy: typeof MANAGED_BY;
  role: SipRole;
  /** HMAC of the credentials: LiveKit may not echo passwords back, so a change is seen here. */
  auth?: string;
}

function markerFor(role: SipRole, auth?: string): string {
  const marker: Marker = { managedBy: MANAGED_BY, role, ...(auth ? { auth } : {}) };
  return JSON.stringify(marker);
}

/** The role a resource plays for us, or null when it is not ours. */
export function managedRole(metadata: string): SipRole | null {
  try {
    const parsed = JSON.parse(metadata) as Partial<Marker> | null;
    if (parsed?.managedBy !== MANAGED_BY) return null;
    return parsed.role === 'inbound' || parsed.role === 'dispatch' || parsed.role === 'outbound'
      ? parsed.role
      : null;
  } catch {
    return null;
  }
}

function authFingerprint(
  key: string,
  auth: { username: string; password: string } | undefined,
): string | undefined {
  if (!auth) return undefined;
  return createHmac('sha256', key)
    .update(`${auth.username}\n${auth.password}`)
    .digest('base64url')
    .slice(0, 22);
}

const MEDIA_ENCRYPTION: Record<SipConfig['inbound']['mediaEncryption'], SIPMediaEncryption> = {
  disable: SIPMediaEncryption.SIP_MEDIA_ENCRYPT_DISABLE,
  allow: SIPMediaEncryption.SIP_MEDIA_ENCRYPT_ALLOW,
  require: SIPMediaEncryption.SIP_MEDIA_ENCRYPT_REQUIRE,
};

const TRANSPORT: Record<OutboundConfig['transport'], SIPTransport> = {
  auto: SIPTransport.SIP_TRANSPORT_AUTO,
  udp: SIPTransport.SIP_TRANSPORT_UDP,
  tcp: SIPTransport.SIP_TRANSPORT_TCP,
  tls: SIPTransport.SIP_TRANSPORT_TLS,
};

const seconds = (value: number | undefined) =>
  value === undefined ? undefined : { seconds: BigInt(value) };

/** The inbound trunk the file describes. */
export function desiredInboundTrunk(
  config: SipConfig,
  fingerprintKey: string,
): SIPInboundTrunkInfo {
  const inbound = config.inbound;
  return new SIPInboundTrunkInfo({
    name: inbound.name,
    metadata: markerFor('inbound', authFingerprint(fingerprintKey, inbound.auth)),
    numbers: inbound.numbers,
    allowedAddresses: inbound.allowedAddresses,
    allowedNumbers: inbound.allowedNumbers,
    authUsername: inbound.auth?.username ?? '',
    authPassword: inbound.auth?.password ?? '',
    headersToAttributes: inbound.headersToAttributes,
    krispEnabled: inbound.krisp,
    // The top-level field every LiveKit SIP version reads (`media.encryption` is newer).
    mediaEncryption: MEDIA_ENCRYPTION[inbound.mediaEncryption],
    ringingTimeout: seconds(inbound.ringingTimeoutSeconds),
    maxCallDuration: seconds(inbound.maxCallDurationSeconds),
  });
}

/** The dispatch rule the file describes: a new room per caller with our agent dispatched into it. */
export function desiredDispatchRule(
  config: SipConfig,
  inboundTrunkId: string,
): SIPDispatchRuleInfo {
  const dispatch = config.dispatch;
  return new SIPDispatchRuleInfo({
    name: dispatchRuleName(config),
    metadata: markerFor('dispatch'),
    rule: {
      rule: {
        case: 'dispatchRuleIndividual',
        value: { roomPrefix: dispatch.roomPrefix, pin: dispatch.pin ?? '' },
      },
    },
    trunkIds: [inboundTrunkId],
    hidePhoneNumber: dispatch.hidePhoneNumber,
    attributes: dispatch.attributes,
    roomConfig: new RoomConfiguration({
      emptyTimeout: dispatch.emptyTimeoutSeconds,
      departureTimeout: dispatch.departureTimeoutSeconds,
      agents: [
        new RoomAgentDispatch({
          agentName: dispatch.agentName,
          metadata: JSON.stringify(dispatch.metadata),
        }),
      ],
    }),
  });
}

/** The outbound trunk the file describes (for callbacks). */
export function desiredOutboundTrunk(
  outbound: OutboundConfig,
  fingerprintKey: string,
): SIPOutboundTrunkInfo {
  return new SIPOutboundTrunkInfo({
    name: outbound.name,
    metadata: markerFor('outbound', authFingerprint(fingerprintKey, outbound.auth)),
    address: outbound.address,
    transport: TRANSPORT[outbound.transport],
    numbers: outbound.numbers,
    authUsername: outbound.auth?.username ?? '',
    authPassword: outbound.auth?.password ?? '',
    destinationCountry: outbound.destinationCountry ?? '',
  });
}

const sorted = (values: readonly string[]) => [...values].sort();
const durationSeconds = (d: { seconds: bigint } | undefined) => Number(d?.seconds ?? 0n);

// What we compare. Passwords are left out: the credentials fingerprint in the metadata stands in.
export function inboundFields(t: SIPInboundTrunkInfo) {
  return {
    name: t.name,
    metadata: t.metadata,
    numbers: sorted(t.numbers),
    allowedAddresses: sorted(t.allowedAddresses),
    allowedNumbers: sorted(t.allowedNumbers),
    authUsername: t.authUsername,
    headersToAttributes: t.headersToAttributes,
    krispEnabled: t.krispEnabled,
    mediaEncryption: t.mediaEncryption,
    ringingTimeout: durationSeconds(t.ringingTimeout),
    maxCallDuration: durationSeconds(t.maxCallDuration),
  };
}

export function dispatchFields(r: SIPDispatchRuleInfo) {
  return {
    name: r.name,
    metadata: r.metadata,
    rule: r.rule?.toJson() ?? null,
    trunkIds: sorted(r.trunkIds),
    hidePhoneNumber: r.hidePhoneNumber,
    attributes: r.attributes,
    roomConfig: r.roomConfig?.toJson() ?? null,
  };
}

export function outboundFields(t: SIPOutboundTrunkInfo) {
  return {
    name: t.name,
    metadata: t.metadata,
    address: t.address,
    transport: t.transport,
    numbers: sorted(t.numbers),
    authUsername: t.authUsername,
    destinationCountry: t.destinationCountry,
  };
}

/** The names of the fields whose values differ. */
export function differences(
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
): string[] {
  return Object.keys(desired).filter((key) => !isDeepStrictEqual(current[key], desired[key]));
}
