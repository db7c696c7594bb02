import type { SipClient } from 'livekit-server-sdk';
import type { SipConfig } from './sip-config.js';
import {
  desiredDispatchRule,
  desiredInboundTrunk,
  desiredOutboundTrunk,
  differences,
  dispatchFields,
  inboundFields,
  managedRole,
  outboundFields,
  type SipResourceKind,
  type SipRole,
} from './sip-resources.js';

/**
 * Makes LiveKit's SIP trunks and dispatch rule match `config/sip.yaml`, idempotently. What we own
 * is recognised by a marker in each resource's metadata, so foreign trunks and rules are never
 * touched; each role (inbound trunk, dispatch rule, outbound trunk) exists at most once.
 */

const KIND: Record<SipRole, SipResourceKind> = {
  inbound: 'inbound-trunk',
  dispatch: 'dispatch-rule',
  outbound: 'outbound-trunk',
};

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

interface Existing<T> {
  keep: T | undefined;
  duplicates: T[];
}

function ours<T extends { metadata: string }>(items: T[], role: SipRole): Existing<T> {
  const [keep, ...duplicates] = items.filter((item) => managedRole(item.metadata) === role);
  return { keep, duplicates };
}

/** How trunks are named and deleted, whatever their direction. */
function trunkOps(sip: SipClient) {
  return {
    id: (trunk: { sipTrunkId: string }) => trunk.sipTrunkId,
    remove: (id: string) => sip.deleteSipTrunk(id),
  };
}

/** How dispatch rules are named and deleted. */
function ruleOps(sip: SipClient) {
  return {
    id: (rule: { sipDispatchRuleId: string }) => rule.sipDispatchRuleId,
    remove: (id: string) => sip.deleteSipDispatchRule(id),
  };
}

/** Deletes `items` (unless this is a dry run) and reports each deletion, in order. */
async function deleteAll<T extends { name: string }>(
  items: readonly T[],
  kind: SipResourceKind,
  ops: { id(item: NoInfer<T>): string; remove(id: string): Promise<unknown> },
  dryRun: boolean,
  note?: string,
): Promise<SipChange[]> {
  const changes: SipChange[] = [];
  for (const item of items) {
    if (!dryRun) await ops.remove(ops.id(item));
    changes.push({
      action: 'deleted',
      kind,
      name: item.name,
      id: ops.id(item),
      ...(note && { note }),
    });
  }
  return changes;
}

/** Creates, updates or leaves alone one resource; deletes duplicates of its role. */
async function reconcile<T extends { name: string; metadata: string }>(
  role: SipRole,
  existing: Existing<T>,
  desired: T,
  ops: {
    id(item: NoInfer<T>): string;
    fields(item: T): Record<string, unknown>;
    create(): Promise<T>;
    replace(id: string): Promise<T>;
    remove(id: string): Promise<unknown>;
  },
  dryRun: boolean,
): Promise<{ id: string; changes: SipChange[] }> {
  const kind = KIND[role];
  const changes = await deleteAll(existing.duplicates, kind, ops, dryRun, 'duplicate');
  const current = existing.keep;
  if (!current) {
    if (dryRun) {
      return {
        id: '',
        changes: [...changes, { action: 'created', kind, name: desired.name, id: '' }],
      };
    }
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
      ...trunkOps(sip),
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
      ...ruleOps(sip),
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
    },
    options.dryRun ?? false,
  );
}

async function reconcileOutbound(sip: SipClient, config: SipConfig, options: ProvisionOptions) {
  const existing = ours(await sip.listSipOutboundTrunk(), 'outbound');
  const dryRun = options.dryRun ?? false;
  if (!config.outbound) {
    // The block was removed from the file: what we created for it goes too.
    return deleteAll(
      [existing.keep, ...existing.duplicates].filter((t) => t !== undefined),
      'outbound-trunk',
      trunkOps(sip),
      dryRun,
      'not in the file',
    );
  }
  const outbound = config.outbound;
  const desired = desiredOutboundTrunk(outbound, options.fingerprintKey);
  const result = await reconcile(
    'outbound',
    existing,
    desired,
    {
      ...trunkOps(sip),
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
  const dryRun = options.dryRun ?? false;
  const rules = (await sip.listSipDispatchRule()).filter((r) => managedRole(r.metadata));
  const changes = await deleteAll(rules, 'dispatch-rule', ruleOps(sip), dryRun);
  const inbound = (await sip.listSipInboundTrunk()).filter((t) => managedRole(t.metadata));
  const outbound = (await sip.listSipOutboundTrunk()).filter((t) => managedRole(t.metadata));
  changes.push(...(await deleteAll(inbound, 'inbound-trunk', trunkOps(sip), dryRun)));
  changes.push(...(await deleteAll(outbound, 'outbound-trunk', trunkOps(sip), dryRun)));
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
