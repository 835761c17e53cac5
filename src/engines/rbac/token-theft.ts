/**
 * The token-theft path: a subject that may create or change pods (or any workload kind) in a
 * namespace may run them as any service account of that namespace, and so use its token. It
 * gains whatever risky permissions (./risky-permissions.ts) those service accounts hold and it
 * does not. Pod `update`/`patch` counts too: a changed image runs as the pod's account.
 */
import type { Inventory } from '../../core/inventory.js';
import { bitsOf, coversHolding, gainBits, popcount, seenFrom, type ScopedBits } from './holding-bits.js';
import { riskyBits, riskyBitsAdding, riskyHoldings, type Holding } from './holdings.js';
import type { RbacModel } from './model.js';
import { userOfSubject, userForServiceAccount } from './subjects.js';
import type { Subject, UserInfo } from './types.js';

export interface ServiceAccountGain {
  namespace: string;
  name: string;
  /** What the account holds that the creator does not, in risky-permission order. */
  gains: Holding[];
}

/** What running pods somewhere gives a subject: the account it gains most from, and how many gain it anything. */
export interface TheftSummary {
  best: ServiceAccountGain;
  accounts: number;
  namespaces: number;
}

/**
 * The service accounts of each namespace a pod may run as. A live cluster lists them; manifests
 * rarely hold them all, so there the accounts that bindings name count too. Every namespace has
 * `default`.
 */
export function serviceAccountsByNamespace(inventory: Inventory, model: RbacModel): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (namespace: string, name: string) => {
    let names = out.get(namespace);
    if (!names) out.set(namespace, (names = new Set(['default'])));
    names.add(name);
  };
  for (const ns of inventory.namespaces()) add(ns.name, 'default');
  for (const sa of inventory.ofKind('ServiceAccount')) if (sa.group === '' && sa.namespace) add(sa.namespace, sa.name);
  // A cluster read lists every account of the namespaces it read; elsewhere bindings name them.
  const listed = (ns: string) => inventory.inputs.has('cluster') && !inventory.unreadableKinds.has('ServiceAccount') && inventory.namespaceListed(ns);
  for (const b of model.bindings()) {
    for (const s of b.subjects) if (s.kind === 'ServiceAccount' && s.namespace && !listed(s.namespace)) add(s.namespace, s.name);
  }
  return out;
}

/** An account a creator would gain from, before its gains are spelled out. */
interface Candidate {
  namespace: string;
  name: string;
  /** How many risky permissions it adds. */
  count: number;
}

/** More gains first, then namespace and name: which account a message names. */
function better(a: Candidate, b: Candidate | undefined): boolean {
  if (!b) return true;
  if (a.count !== b.count) return a.count > b.count;
  return a.namespace !== b.namespace ? a.namespace < b.namespace : a.name < b.name;
}

/** What a creator gains in one namespace: how many accounts, and the best one. */
interface NamespaceGain {
  accounts: number;
  best: Candidate;
}

/** What a creator holding one set of permissions everywhere gains across every namespace. */
interface Aggregate {
  perNamespace: Map<string, NamespaceGain>;
  accounts: number;
  namespaces: number;
  /** Each namespace's best account, best first. */
  ranked: Candidate[];
}

interface Account {
  name: string;
  holdings: Holding[];
  bits: ScopedBits;
}

/**
 * Answers "what does running pods in these namespaces give this subject?". A cluster-wide creator
 * reaches every namespace, and what it gains in one depends only on what it holds there: its
 * cluster-wide permissions, plus what RoleBindings give it in that namespace. So the gains of
 * cluster-wide permissions are computed once per distinct set of them across all namespaces,
 * and only the namespaces where a RoleBinding names the creator are computed for it alone.
 * Comparisons are bit operations (./holding-bits.ts); holdings are spelled out only for the
 * account a message names.
 */
export class TokenTheft {
  private readonly accountsByNamespace = new Map<string, Account[]>();
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly sortedNamespaces: string[];
  /** Cluster-wide creators' summaries: one per creator, however many bindings name it. */
  private readonly everywhere = new Map<string, TheftSummary | undefined>();

  constructor(
    private readonly model: RbacModel,
    readonly accounts: ReadonlyMap<string, ReadonlySet<string>>,
  ) {
    this.sortedNamespaces = [...accounts.keys()].sort();
  }

  /** Namespaces with service accounts, sorted: where a cluster-wide creator may run pods. */
  namespaces(): readonly string[] {
    return this.sortedNamespaces;
  }

  /** What `creator` gains by running pods in `namespace` alone; undefined when nothing. */
  summaryIn(creator: Subject, namespace: string): TheftSummary | undefined {
    const { held, found } = this.creatorIn(creator, namespace);
    return found ? this.spell(found.best, held, found.accounts, 1) : undefined;
  }

  /** What `creator` holds in `namespace` and gains there, once per creator and namespace. */
  private creatorIn(creator: Subject, namespace: string): { held: ScopedBits; found: NamespaceGain | undefined } {
    const c = this.creator(creator);
    let hit = c.inNamespace.get(namespace);
    if (!hit) {
      const held = riskyBitsAdding(this.model, c.user, namespace, c.cluster);
      hit = { held, found: this.gainIn(creator, held, namespace) };
      c.inNamespace.set(namespace, hit);
    }
    return hit;
  }

  private readonly creators = new Map<string, { user: UserInfo; cluster: ScopedBits; inNamespace: Map<string, { held: ScopedBits; found: NamespaceGain | undefined }> }>();

  private creator(s: Subject) {
    const key = `${s.kind}:${s.namespace ?? ''}:${s.name}`;
    let c = this.creators.get(key);
    if (!c) {
      const user = userOfSubject(s);
      c = { user, cluster: riskyBits(this.model, user, ''), inNamespace: new Map() };
      this.creators.set(key, c);
    }
    return c;
  }

  /** What `creator` gains by running pods in every namespace; undefined when nothing. */
  summaryEverywhere(creator: Subject): TheftSummary | undefined {
    const key = `${creator.kind}:${creator.namespace ?? ''}:${creator.name}`;
    if (this.everywhere.has(key)) return this.everywhere.get(key);
    const { user, cluster: clusterHeld } = this.creator(creator);
    const agg = this.aggregate(clusterHeld);
    // Namespaces where the creator holds more than its cluster-wide permissions, or is an account itself.
    const own = this.model.roleBindingNamespacesFor(user);
    if (creator.kind === 'ServiceAccount' && creator.namespace) own.add(creator.namespace);
    let { accounts, namespaces } = agg;
    let best: { candidate: Candidate; held: ScopedBits } | undefined;
    for (const ns of own) {
      if (!this.accounts.has(ns)) continue;
      const base = agg.perNamespace.get(ns);
      if (base) {
        accounts -= base.accounts;
        namespaces--;
      }
      const { held, found } = this.creatorIn(creator, ns);
      if (!found) continue;
      accounts += found.accounts;
      namespaces++;
      if (better(found.best, best?.candidate)) best = { candidate: found.best, held };
    }
    const elsewhere = agg.ranked.find((c) => !own.has(c.namespace));
    if (elsewhere && better(elsewhere, best?.candidate)) best = { candidate: elsewhere, held: seenFrom(clusterHeld, elsewhere.namespace) };
    const out = best ? this.spell(best.candidate, best.held, accounts, namespaces) : undefined;
    this.everywhere.set(key, out);
    return out;
  }

  /** The summary, with the named account's gains spelled out against what the creator holds. */
  private spell(c: Candidate, held: ScopedBits, accounts: number, namespaces: number): TheftSummary {
    const account = this.accountsIn(c.namespace).find((a) => a.name === c.name)!;
    return { best: { namespace: c.namespace, name: c.name, gains: account.holdings.filter((h) => !coversHolding(held, h, c.namespace)) }, accounts, namespaces };
  }

  /** The gains of holding `held` (cluster-wide permissions, asked in namespace '') in every namespace, shared by every creator holding the same. */
  private aggregate(held: ScopedBits): Aggregate {
    const sig = `${held.allLo},${held.allHi},${held.hereLo},${held.hereHi},${held.fixedLo},${held.fixedHi}`;
    let agg = this.aggregates.get(sig);
    if (agg) return agg;
    agg = { perNamespace: new Map(), accounts: 0, namespaces: 0, ranked: [] };
    for (const ns of this.sortedNamespaces) {
      const found = this.gainAgainst(seenFrom(held, ns), ns);
      if (!found) continue;
      agg.perNamespace.set(ns, found);
      agg.accounts += found.accounts;
      agg.namespaces++;
      agg.ranked.push(found.best);
    }
    agg.ranked.sort((a, b) => (better(a, b) ? -1 : 1));
    this.aggregates.set(sig, agg);
    return agg;
  }

  /** What the creator holding `held` gains in `ns`, but from itself. */
  private gainIn(creator: Subject, held: ScopedBits, ns: string): NamespaceGain | undefined {
    const self = creator.kind === 'ServiceAccount' && creator.namespace === ns ? creator.name : undefined;
    return this.gainAgainst(held, ns, self);
  }

  /** The accounts of `ns` holding what `creator` (seen from `ns`) does not cover, `skip` aside. */
  private gainAgainst(creator: ScopedBits, ns: string, skip?: string): NamespaceGain | undefined {
    let accounts = 0;
    let best: Candidate | undefined;
    for (const a of this.accountsIn(ns)) {
      if (a.name === skip) continue;
      const [lo, hi] = gainBits(a.bits, creator);
      if (lo === 0 && hi === 0) continue;
      accounts++;
      const count = popcount(lo, hi);
      // Accounts come sorted by name: a later one is better only with more gains.
      if (!best || count > best.count) best = { namespace: ns, name: a.name, count };
    }
    return best ? { accounts, best } : undefined;
  }

  /** The accounts of `ns` holding something there, sorted by name. */
  private accountsIn(ns: string): Account[] {
    let list = this.accountsByNamespace.get(ns);
    if (!list) {
      list = [...(this.accounts.get(ns) ?? [])].sort().flatMap((name) => {
        const holdings = riskyHoldings(this.model, userForServiceAccount(ns, name), ns);
        return holdings.length ? [{ name, holdings, bits: bitsOf(holdings, ns) }] : [];
      });
      this.accountsByNamespace.set(ns, list);
    }
    return list;
  }
}
