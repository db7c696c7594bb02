import { FakeTwirpError, type FakeLiveKitApi } from './fake-livekit-api.js';

type Item = Record<string, unknown>;

/** What the stateful SIP fake holds, keyed by id, as protobuf JSON (what List* answers). */
export interface FakeSipStore {
  inbound: Map<string, Item>;
  outbound: Map<string, Item>;
  rules: Map<string, Item>;
  /** Adds a trunk or rule someone else created (provisioning must leave it alone). */
  seed(kind: 'inbound' | 'outbound' | 'rule', item: Item): string;
}

/**
 * Makes the fake LiveKit API remember SIP trunks and dispatch rules like the server does: Create*
 * stores the request's object with a new id, List* returns what is stored, Update* (replace)
 * overwrites it, Delete* removes it; unknown ids answer 404 not_found.
 */
export function installSipStore(api: FakeLiveKitApi): FakeSipStore {
  let next = 1;
  const inbound = new Map<string, Item>();
  const outbound = new Map<string, Item>();
  const rules = new Map<string, Item>();
  const newId = (prefix: string) => `${prefix}_fake${next++}`;

  const store = (map: Map<string, Item>, idKey: string, prefix: string, item: Item) => {
    const id = newId(prefix);
    const stored = { ...item, [idKey]: id };
    map.set(id, stored);
    return stored;
  };
  const replace = (map: Map<string, Item>, idKey: string, body: Item) => {
    const id = String(body[idKey]);
    if (!map.has(id)) throw new FakeTwirpError(404, 'not_found', `${id} not found`);
    if (!body.replace) throw new FakeTwirpError(400, 'invalid_argument', 'only replace is faked');
    const stored = { ...(body.replace as Item), [idKey]: id };
    map.set(id, stored);
    return stored;
  };

  api.on('SIP', 'CreateSIPInboundTrunk', (body) =>
    store(inbound, 'sipTrunkId', 'ST', body.trunk as Item),
  );
  api.on('SIP', 'CreateSIPOutboundTrunk', (body) =>
    store(outbound, 'sipTrunkId', 'ST', body.trunk as Item),
  );
  api.on('SIP', 'CreateSIPDispatchRule', (body) => store(rules, 'sipDispatchRuleId', 'SDR', body));
  api.on('SIP', 'ListSIPInboundTrunk', () => ({ items: [...inbound.values()] }));
  api.on('SIP', 'ListSIPOutboundTrunk', () => ({ items: [...outbound.values()] }));
  api.on('SIP', 'ListSIPDispatchRule', () => ({ items: [...rules.values()] }));
  api.on('SIP', 'UpdateSIPInboundTrunk', (body) => replace(inbound, 'sipTrunkId', body));
  api.on('SIP', 'UpdateSIPOutboundTrunk', (body) => replace(outbound, 'sipTrunkId', body));
  api.on('SIP', 'UpdateSIPDispatchRule', (body) => replace(rules, 'sipDispatchRuleId', body));
  api.on('SIP', 'DeleteSIPTrunk', (body) => {
    const id = String(body.sipTrunkId);
    const trunk = inbound.get(id) ?? outbound.get(id);
    if (!trunk) throw new FakeTwirpError(404, 'not_found', `${id} not found`);
    inbound.delete(id);
    outbound.delete(id);
    return { sipTrunkId: id };
  });
  api.on('SIP', 'DeleteSIPDispatchRule', (body) => {
    const id = String(body.sipDispatchRuleId);
    const rule = rules.get(id);
    if (!rule) throw new FakeTwirpError(404, 'not_found', `${id} not found`);
    rules.delete(id);
    return rule;
  });

  return {
    inbound,
    outbound,
    rules,
    seed(kind, item) {
      if (kind === 'rule')
        return String(store(rules, 'sipDispatchRuleId', 'SDR', item).sipDispatchRuleId);
      const map = kind === 'inbound' ? inbound : outbound;
      return String(store(map, 'sipTrunkId', 'ST', item).sipTrunkId);
    },
  };
}
