/**
 * Holdings as bit sets, for comparing one creator against thousands of service accounts: a
 * holding sets the bit of its permission's position in the words of its scope (cluster-wide, the
 * namespace asked about, or the one namespace a risky permission names). Two 32-bit words hold
 * every position.
 */
import { FIXED_NAMESPACES, RISKY_PERMISSION_COUNT, type Holding } from './holdings.js';

export interface ScopedBits {
  /** Held cluster-wide. */
  allLo: number;
  allHi: number;
  /** Held in the namespace asked about. */
  hereLo: number;
  hereHi: number;
  /** Held in the namespace a permission names (kube-system's ConfigMaps), when that is not the one asked about. */
  fixedLo: number;
  fixedHi: number;
}

export type Scope = 'all' | 'here' | 'fixed';

export function emptyBits(): ScopedBits {
  return { allLo: 0, allHi: 0, hereLo: 0, hereHi: 0, fixedLo: 0, fixedHi: 0 };
}

export function setBit(b: ScopedBits, order: number, scope: Scope): void {
  // Three scopes are enough only while one namespace is named by risky permissions, and two words while there are at most 64 of them.
  if (FIXED_NAMESPACES.length > 1 || RISKY_PERMISSION_COUNT > 64) throw new Error('holding-bits: widen the bit sets');
  const bit = 1 << order % 32;
  const lo = order < 32;
  switch (scope) {
    case 'all':
      if (lo) b.allLo |= bit;
      else b.allHi |= bit;
      break;
    case 'here':
      if (lo) b.hereLo |= bit;
      else b.hereHi |= bit;
      break;
    case 'fixed':
      if (lo) b.fixedLo |= bit;
      else b.fixedHi |= bit;
  }
}

/** The bits of holdings, seen from `namespace` (the one they were asked in). */
export function bitsOf(holdings: readonly Holding[], namespace: string): ScopedBits {
  const b = emptyBits();
  for (const h of holdings) setBit(b, h.order, h.scope === '' ? 'all' : h.scope === namespace ? 'here' : 'fixed');
  return b;
}

/**
 * Bits asked cluster-wide (namespace ''), seen from `namespace`: in the namespace risky
 * permissions name, what was held there counts as held here.
 */
export function seenFrom(b: ScopedBits, namespace: string): ScopedBits {
  if (namespace !== FIXED_NAMESPACES[0]) return b;
  return { allLo: b.allLo, allHi: b.allHi, hereLo: b.hereLo | b.fixedLo, hereHi: b.hereHi | b.fixedHi, fixedLo: 0, fixedHi: 0 };
}

/** Whether `b` (seen from `namespace`) covers the holding `h`: the same permission in its scope, or cluster-wide. */
export function coversHolding(b: ScopedBits, h: Holding, namespace: string): boolean {
  const has = (lo: number, hi: number) => ((h.order < 32 ? lo : hi) & (1 << h.order % 32)) !== 0;
  if (has(b.allLo, b.allHi)) return true;
  if (h.scope === '') return false;
  return h.scope === namespace ? has(b.hereLo, b.hereHi) : has(b.fixedLo, b.fixedHi);
}

/** What `account` holds that `creator` (both seen from the same namespace) does not cover; 0, 0 when nothing. */
export function gainBits(account: ScopedBits, creator: ScopedBits): [number, number] {
  const lo = (account.allLo & ~creator.allLo) | (account.hereLo & ~(creator.allLo | creator.hereLo)) | (account.fixedLo & ~(creator.allLo | creator.fixedLo));
  const hi = (account.allHi & ~creator.allHi) | (account.hereHi & ~(creator.allHi | creator.hereHi)) | (account.fixedHi & ~(creator.allHi | creator.fixedHi));
  return [lo, hi];
}

/** How many bits are set. */
export function popcount(lo: number, hi: number): number {
  let n = 0;
  for (let x = lo >>> 0; x; x &= x - 1) n++;
  for (let x = hi >>> 0; x; x &= x - 1) n++;
  return n;
}
