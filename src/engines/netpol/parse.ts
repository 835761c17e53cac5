/**
 * Turns a NetworkPolicy object (networking.k8s.io/v1) into the normalised policy the evaluator
 * reads, applying the API server's defaults and rejecting what its validation rejects. An invalid
 * policy is reported with the field path of each problem, never guessed at: the evaluator leaves
 * it out. Kept apart from evaluation so the two can be tested, and trusted, separately.
 *
 * Null list elements decode as Go zero values (a null rule is `{}`, a null port entry is
 * `{}`), as the API server would read them.
 */
import { parseSelector } from '../labels/selector.js';
import { isProtocol, MAX_PORT, MIN_PORT, type Protocol } from './conns.js';
import { parseCIDR, rangeWithin, subtractRanges } from './ip.js';
import type { Direction, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, Selector } from './types.js';

export type ParseResult = { policy: NetworkPolicy; errors?: undefined } | { errors: string[]; policy?: undefined; namespace: string; name: string };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IANA_SVC_NAME, what a named port must be: 1-15 of [a-z0-9-], a letter somewhere, no `--`, no `-` at either end. */
export function isPortName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

function selector(v: unknown, path: string, errors: string[]): Selector | undefined {
  const parsed = parseSelector(v);
  if (parsed.kind === 'invalid') {
    errors.push(`${path}: invalid label selector: ${parsed.error}`);
    return undefined;
  }
  return parsed.kind === 'requirements' ? parsed.requirements : [];
}

/** A list field: undefined for missing/null, an error for anything but a list. */
function list(v: unknown, path: string, errors: string[]): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    errors.push(`${path}: must be a list`);
    return undefined;
  }
  return v;
}

function parsePeer(v: unknown, path: string, errors: string[]): PolicyPeer | undefined {
  if (v !== null && !isObj(v)) {
    errors.push(`${path}: must be an object`);
    return undefined;
  }
  const p = (v ?? {}) as Obj;
  const has = (k: string) => p[k] !== undefined && p[k] !== null;
  const hasPods = has('podSelector');
  const hasNs = has('namespaceSelector');
  const hasIp = has('ipBlock');
  if (!hasPods && !hasNs && !hasIp) {
    errors.push(`${path}: must specify a peer (podSelector, namespaceSelector or ipBlock)`);
    return undefined;
  }
  if (hasIp && (hasPods || hasNs)) {
    errors.push(`${path}: may not specify both ipBlock and another peer`);
    return undefined;
  }
  if (hasIp) {
    const b = p.ipBlock;
    if (!isObj(b)) {
      errors.push(`${path}.ipBlock: must be an object`);
      return undefined;
    }
    const cidrText = b.cidr;
    const cidr = typeof cidrText === 'string' ? parseCIDR(cidrText) : undefined;
    if (!cidr) {
      errors.push(`${path}.ipBlock.cidr: ${cidrText === undefined || cidrText === '' ? 'is required' : `"${String(cidrText)}" is not a valid CIDR`}`);
      return undefined;
    }
    const exceptTexts = list(b.except, `${path}.ipBlock.except`, errors) ?? [];
    const excepts = [];
    let ok = true;
    for (const [i, e] of exceptTexts.entries()) {
      const ePath = `${path}.ipBlock.except[${i}]`;
      const ex = typeof e === 'string' ? parseCIDR(e) : undefined;
      if (!ex) {
        errors.push(`${ePath}: "${String(e)}" is not a valid CIDR`);
        ok = false;
      } else if (!rangeWithin(ex, cidr) || ex.prefix <= cidr.prefix) {
        // The API server demands a strict subset: inside cidr and with a longer prefix.
        errors.push(`${ePath}: "${e}" must be a strict subset of cidr "${cidrText}"`);
        ok = false;
      } else excepts.push(ex);
    }
    if (!ok) return undefined;
    return {
      kind: 'ipBlock',
      cidr: cidrText as string,
      except: exceptTexts as string[],
      family: cidr.family,
      ranges: subtractRanges(cidr, excepts),
      path,
    };
  }
  const before = errors.length;
  const peer: PolicyPeer = { kind: 'pods', path };
  if (hasNs) peer.namespaceSelector = selector(p.namespaceSelector, `${path}.namespaceSelector`, errors);
  if (hasPods) peer.podSelector = selector(p.podSelector, `${path}.podSelector`, errors);
  return errors.length === before ? peer : undefined;
}

function parsePort(v: unknown, path: string, errors: string[]): PolicyPort | undefined {
  if (v !== null && !isObj(v)) {
    errors.push(`${path}: must be an object`);
    return undefined;
  }
  const p = (v ?? {}) as Obj;
  const protoRaw = p.protocol ?? 'TCP';
  if (!isProtocol(protoRaw)) {
    errors.push(`${path}.protocol: "${String(protoRaw)}" is not a supported protocol (TCP, UDP or SCTP)`);
    return undefined;
  }
  const protocol: Protocol = protoRaw;
  const port = p.port;
  const endPort = p.endPort;
  const hasEnd = endPort !== undefined && endPort !== null;
  if (port === undefined || port === null) {
    if (hasEnd) {
      errors.push(`${path}.endPort: may not be set without port`);
      return undefined;
    }
    return { kind: 'all', protocol };
  }
  if (typeof port === 'string') {
    if (!isPortName(port)) {
      errors.push(`${path}.port: "${port}" is neither a port number nor a valid port name`);
      return undefined;
    }
    if (hasEnd) {
      errors.push(`${path}.endPort: may not be set with a named port`);
      return undefined;
    }
    return { kind: 'named', protocol, name: port };
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    errors.push(`${path}.port: ${JSON.stringify(port)} must be a port number between 1 and 65535 or a port name`);
    return undefined;
  }
  if (!hasEnd) return { kind: 'range', protocol, from: port, to: port };
  if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < MIN_PORT || endPort > MAX_PORT) {
    errors.push(`${path}.endPort: ${JSON.stringify(endPort)} must be a port number between 1 and 65535`);
    return undefined;
  }
  if (endPort < port) {
    errors.push(`${path}.endPort: ${endPort} must be greater than or equal to port ${port}`);
    return undefined;
  }
  return { kind: 'range', protocol, from: port, to: endPort };
}

function parseRules(v: unknown, d: Direction, errors: string[]): PolicyRule[] {
  const field = d === 'Ingress' ? 'ingress' : 'egress';
  const peerField = d === 'Ingress' ? 'from' : 'to';
  const raw = list(v, `spec.${field}`, errors) ?? [];
  const rules: PolicyRule[] = [];
  for (const [index, r] of raw.entries()) {
    const path = `spec.${field}[${index}]`;
    if (r !== null && !isObj(r)) {
      errors.push(`${path}: must be an object`);
      continue;
    }
    const rule = (r ?? {}) as Obj;
    const peersRaw = list(rule[peerField], `${path}.${peerField}`, errors) ?? [];
    const portsRaw = list(rule.ports, `${path}.ports`, errors) ?? [];
    const peers = peersRaw.map((p, i) => parsePeer(p, `${path}.${peerField}[${i}]`, errors));
    const ports = portsRaw.map((p, i) => parsePort(p, `${path}.ports[${i}]`, errors));
    rules.push({
      index,
      peers: peers.length === 0 ? 'any' : peers.filter((p): p is PolicyPeer => p !== undefined),
      ports: ports.length === 0 ? 'any' : ports.filter((p): p is PolicyPort => p !== undefined),
    });
  }
  return rules;
}

/**
 * The normalised policy, or every reason the API server would refuse it. `defaultNamespace`
 * stands in for a missing metadata.namespace.
 */
export function parseNetworkPolicy(obj: unknown, defaultNamespace = 'default'): ParseResult {
  const o: Obj = isObj(obj) ? obj : {};
  const meta: Obj = isObj(o.metadata) ? o.metadata : {};
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNamespace;
  const name = typeof meta.name === 'string' && meta.name ? meta.name : '<unnamed>';
  const errors: string[] = [];
  if (!isObj(obj)) errors.push('the object is not a map');
  else if (o.kind !== 'NetworkPolicy') errors.push(`kind: "${String(o.kind)}" is not NetworkPolicy`);
  const spec: Obj = o.spec === undefined || o.spec === null ? {} : isObj(o.spec) ? o.spec : (errors.push('spec: must be an object'), {});

  // spec.podSelector is a struct, not a pointer: missing or null decodes as `{}`, every pod.
  const podSelector = spec.podSelector === undefined || spec.podSelector === null ? [] : selector(spec.podSelector, 'spec.podSelector', errors);

  let types: Direction[];
  const typesRaw = list(spec.policyTypes, 'spec.policyTypes', errors);
  if (typesRaw && typesRaw.length > 0) {
    types = [];
    for (const [i, t] of typesRaw.entries()) {
      if (t !== 'Ingress' && t !== 'Egress') errors.push(`spec.policyTypes[${i}]: "${String(t)}" is not Ingress or Egress`);
      else if (!types.includes(t)) types.push(t);
    }
    if (typesRaw.length > 2) errors.push('spec.policyTypes: may hold at most Ingress and Egress');
  } else {
    // The API server's default (applied to an empty list too): Ingress always, Egress when
    // there are egress rules.
    const egress = spec.egress;
    types = Array.isArray(egress) && egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  const ingress = parseRules(spec.ingress, 'Ingress', errors);
  const egress = parseRules(spec.egress, 'Egress', errors);
  if (errors.length > 0 || podSelector === undefined) return { errors, namespace, name };
  return {
    policy: {
      namespace,
      name,
      id: `${namespace}/${name}`,
      podSelector,
      types,
      // Rules of a direction the policy does not isolate have no effect.
      ingress: types.includes('Ingress') ? ingress : [],
      egress: types.includes('Egress') ? egress : [],
    },
  };
}
