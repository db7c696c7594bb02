import { createHmac } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { SIPMediaEncryption, SIPTransport } from '@livekit/protocol';
import {
  RoomAgentDispatch,
  RoomConfiguration,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPOutboundTrunkInfo,
  type SipClient,
} from 'livekit-server-sdk';
import { dispatchRuleName, type OutboundConfig, type SipConfig } from './sip-config.js';

/**
 * Makes LiveKit's SIP trunks and dispatch rule match `config/sip.yaml`, idempotently. What we own
 * is recognised by a marker in each resource's metadata, so foreign trunks and rules are never
 * touched; each role (inbound trunk, dispatch rule, outbound trunk) exists at most once.
 */

/** The `managedBy` value in the metadata of every resource provisioning creates. */
export const MANAGED_BY = 'dealership-voice-line';

export type SipRole = 'inbound' | 'dispatch' | 'outbound';
export type SipResourceKind = 'inbound-trunk' | 'dispatch-rule' | 'outbound-trunk';

const KIND: Record<SipRole, SipResourceKind> = {
  inbound: 'inbound-trunk',
  dispatch: 'dispatch-rule',
  outbound: 'outbound-trunk',
};

interface Marker {
  managedBy: typeof MANAGED_BY;
  role: SipRole;
  /** HMAC of the credentials: LiveKit may not echo passwords back, so a change is seen here. */
  auth?: string;
}

export interface SipChange {
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
  kind: SipResourceKind;
  name: string;
  /** Empty for a create planned by a dry run. */
  id: string;
  /** For updates: the fields that differed. */
  fields?: string[];
  /** Why a deletion happened, when it is not a teardown. */
  note?: string;
}

export interface ProvisionOptions {
  /** HMAC key for the credentials fingerprint (the LiveKit API secret). */
  fingerprintKey: string;
  /** Compute and report the changes without making them. */
  dryRun?: boolean;
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
function inboundFields(t: SIPInboundTrunkInfo) {
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

function dispatchFields(r: SIPDispatchRuleInfo) {
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

function outboundFields(t: SIPOutboundTrunkInfo) {
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
function differences<T extends object>(current: T, desired: T): string[] {
  return (Object.keys(desired) as (keyof T)[])
    .filter((key) => !isDeepStrictEqual(current[key], desired[key]))
    .map(String);
}

interface Existing<T> {
  keep: T | undefined;
  duplicates: T[];
}

function ours<T extends { metadata: string }>(items: T[], role: SipRole): Existing<T> {
  const [keep, ...duplicates] = items.filter((item) => managedRole(item.metadata) === role);
  return { keep, duplicates };
}

/** Creates, updates or leaves alone one resource; deletes duplicates of its role. */
async function reconcile<T extends { name: string; metadata: string }>(
  role: SipRole,
  existing: Existing<T>,
  desired: T,
  ops: {
    id(item: T): string;
    fields(item: T): object;
    create(): Promise<T>;
    replace(id: string): Promise<T>;
    remove(id: string): Promise<void>;
  },
  dryRun: boolean,
): Promise<{ id: string; changes: SipChange[] }> {
  const kind = KIND[role];
  const changes: SipChange[] = [];
  for (const extra of existing.duplicates) {
    if (!dryRun) await ops.remove(ops.id(extra));
    changes.push({
      action: 'deleted',
      kind,
      name: extra.name,
      id: ops.id(extra),
      note: 'duplicate',
    });
  }
  const current = existing.keep;
  if (!current) {
    if (dryRun)
      return {
        id: '',
        changes: [...changes, { action: 'created', kind, name: desired.name, id: '' }],
      };
    let created = await ops.create();
    // Some fields cannot be set through the create call (e.g. maxCallDuration): converge them now.
    if (differences(ops.fields(created), ops.fields(desired)).length > 0) {
      created = await ops.replace(ops.id(created));
    }
    const id = ops.id(created);
    return { id, changes: [...changes, { action: 'created', kind, name: desired.name, id }] };
  }
  const id = ops.id(current);
  const fields = differences(ops.fields(current), ops.fields(desired));
  if (fields.length === 0) {
    return { id, changes: [...changes, { action: 'unchanged', kind, name: current.name, id }] };
  }
  if (!dryRun) await ops.replace(id);
  return { id, changes: [...changes, { action: 'updated', kind, name: desired.name, id, fields }] };
}

async function reconcileInbound(sip: SipClient, config: SipConfig, options: ProvisionOptions) {
  const desired = desiredInboundTrunk(config, options.fingerprintKey);
  const existing = ours(await sip.listSipInboundTrunk(), 'inbound');
  return reconcile(
    'inbound',
    existing,
    desired,
    {
      id: (t) => t.sipTrunkId,
      fields: inboundFields,
      create: () =>
        sip.createSipInboundTrunk(desired.name, desired.numbers, {
          metadata: desired.metadata,
          allowedAddresses: desired.allowedAddresses,
          allowedNumbers: desired.allowedNumbers,
          authUsername: desired.authUsername,
          authPassword: desired.authPassword,
          headersToAttributes: desired.headersToAttributes,
          krispEnabled: desired.krispEnabled,
          mediaEncryption: desired.mediaEncryption,
          ringingTimeout: config.inbound.ringingTimeoutSeconds,
        }),
      replace: (id) => sip.updateSipInboundTrunk(id, desired),
      remove: async (id) => void (await sip.deleteSipTrunk(id)),
    },
    options.dryRun ?? false,
  );
}

async function reconcileDispatch(
  sip: SipClient,
  config: SipConfig,
  inboundTrunkId: string,
  options: ProvisionOptions,
) {
  const desired = desiredDispatchRule(config, inboundTrunkId);
  const existing = ours(await sip.listSipDispatchRule(), 'dispatch');
  const individual = { type: 'individual', roomPrefix: config.dispatch.roomPrefix } as const;
  return reconcile(
    'dispatch',
    existing,
    desired,
    {
      id: (r) => r.sipDispatchRuleId,
      fields: dispatchFields,
      create: () =>
        sip.createSipDispatchRule(
          config.dispatch.pin ? { ...individual, pin: config.dispatch.pin } : individual,
          {
            name: desired.name,
            metadata: desired.metadata,
            trunkIds: desired.trunkIds,
            hidePhoneNumber: desired.hidePhoneNumber,
            attributes: desired.attributes,
            roomConfig: desired.roomConfig,
          },
        ),
      replace: (id) => sip.updateSipDispatchRule(id, desired),
      remove: async (id) => void (await sip.deleteSipDispatchRule(id)),
    },
    options.dryRun ?? false,
  );
}

async function reconcileOutbound(sip: SipClient, config: SipConfig, options: ProvisionOptions) {
  const existing = ours(await sip.listSipOutboundTrunk(), 'outbound');
  const dryRun = options.dryRun ?? false;
  if (!config.outbound) {
    // The block was removed from the file: what we created for it goes too.
    const changes: SipChange[] = [];
    for (const trunk of [existing.keep, ...existing.duplicates].filter((t) => t !== undefined)) {
      if (!dryRun) await sip.deleteSipTrunk(trunk.sipTrunkId);
      changes.push({
        action: 'deleted',
        kind: 'outbound-trunk',
        name: trunk.name,
        id: trunk.sipTrunkId,
        note: 'not in the file',
      });
    }
    return changes;
  }
  const outbound = config.outbound;
  const desired = desiredOutboundTrunk(outbound, options.fingerprintKey);
  const result = await reconcile(
    'outbound',
    existing,
    desired,
    {
      id: (t) => t.sipTrunkId,
      fields: outboundFields,
      create: () =>
        sip.createSipOutboundTrunk(desired.name, desired.address, desired.numbers, {
          metadata: desired.metadata,
          transport: desired.transport,
          authUsername: desired.authUsername,
          authPassword: desired.authPassword,
          destinationCountry: desired.destinationCountry,
        }),
      replace: (id) => sip.updateSipOutboundTrunk(id, desired),
      remove: async (id) => void (await sip.deleteSipTrunk(id)),
    },
    dryRun,
  );
  return result.changes;
}

/** Makes LiveKit match the file; returns one change per resource, in the order they were handled. */
export async function provisionSip(
  sip: SipClient,
  config: SipConfig,
  options: ProvisionOptions,
): Promise<SipChange[]> {
  const inbound = await reconcileInbound(sip, config, options);
  // A dry run planning a new trunk has no id yet; the rule would point at the new trunk.
  const dispatch = await reconcileDispatch(sip, config, inbound.id || '(new trunk)', options);
  const outbound = await reconcileOutbound(sip, config, options);
  return [...inbound.changes, ...dispatch.changes, ...outbound];
}

/** Deletes every trunk and rule carrying our marker (rules first: they reference the trunks). */
export async function teardownSip(
  sip: SipClient,
  options: { dryRun?: boolean } = {},
): Promise<SipChange[]> {
  const changes: SipChange[] = [];
  const rules = (await sip.listSipDispatchRule()).filter((r) => managedRole(r.metadata));
  for (const rule of rules) {
    if (!options.dryRun) await sip.deleteSipDispatchRule(rule.sipDispatchRuleId);
    changes.push({
      action: 'deleted',
      kind: 'dispatch-rule',
      name: rule.name,
      id: rule.sipDispatchRuleId,
    });
  }
  const inbound = (await sip.listSipInboundTrunk()).filter((t) => managedRole(t.metadata));
  const outbound = (await sip.listSipOutboundTrunk()).filter((t) => managedRole(t.metadata));
  for (const [kind, trunks] of [
    ['inbound-trunk', inbound],
    ['outbound-trunk', outbound],
  ] as const) {
    for (const trunk of trunks) {
      if (!options.dryRun) await sip.deleteSipTrunk(trunk.sipTrunkId);
      changes.push({ action: 'deleted', kind, name: trunk.name, id: trunk.sipTrunkId });
    }
  }
  return changes;
}

/** One line per change: `updated inbound-trunk main (ST_abc): numbers`. */
export function formatChange(change: SipChange, dryRun = false): string {
  const verb = dryRun
    ? {
        created: 'would create',
        updated: 'would update',
        unchanged: 'unchanged',
        deleted: 'would delete',
      }[change.action]
    : change.action;
  const id = change.id ? ` (${change.id})` : '';
  const detail = change.fields?.length
    ? `: ${change.fields.join(', ')}`
    : change.note
      ? `: ${change.note}`
      : '';
  return `${verb} ${change.kind} ${change.name}${id}${detail}`;
}
