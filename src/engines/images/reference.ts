/** Container image references as the container runtimes read them. */

export interface ImageReference {
  /** Registry host, when the reference names one (`docker.io` is implied otherwise). */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `[registry/]repository[:tag][@digest]`. */
export function parseImage(ref: string): ImageReference {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  // The first component is a registry when it looks like a host: a dot, a port, or localhost.
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  const out: ImageReference = { repository: rest };
  if (registry !== undefined) out.registry = registry;
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}
