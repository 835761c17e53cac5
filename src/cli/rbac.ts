/**
 * `kubeladder rbac ...`: the RBAC engine's own queries over manifests (`-f`), a snapshot or the
 * live cluster. `can-i` answers as `kubectl auth can-i --as` would; `who-can` names every
 * subject that gets a permission, through which binding, role and rule.
 */
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { resourceType, RESOURCE_KINDS } from '../engines/kinds.js';
import { authorize, RbacModel, rulesFor, subjectDisplay, whoCan, type Grant, type Request } from '../engines/rbac/index.js';
import { RBAC_KINDS, rbacModelOf } from '../engines/rbac/inventory-model.js';
import { collect } from './cluster.js';
import type { Io } from './io.js';
import { addClusterInputOptions, readQueryInventory, type QueryInputOptions } from './query-input.js';
import { impersonatedUser, parseResourceArg } from './rbac-args.js';
import { csvCell, grantsDot, whoCanCsv, whoCanGrants } from './rbac-output.js';

const RESOURCE_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
/** Resources the API server serves without discovery (impersonation targets), as kubectl knows them. */
const NON_STANDARD = new Set(['users', 'groups', 'userextras', 'uids', 'serviceaccounts', '*']);

interface InputOptions extends QueryInputOptions {
  filename?: string[];
  kubernetesVersion?: string;
}

function addInputOptions(cmd: Command): Command {
  return addClusterInputOptions(cmd.option('-f, --filename <path>', 'RBAC manifests: a file or directory (repeatable, - for stdin)', collect)).option(
    '--kubernetes-version <v>',
    "with manifests: the release whose built-in roles (cluster-admin, admin, edit, view, system:*) to assume where the manifests lack them (default: the newest kubeladder knows)",
  );
}

/**
 * The RBAC model of the input. Manifests rarely hold the built-in roles and bindings the API
 * server creates itself, so those are added where the manifests lack them (and said so); a live
 * cluster or a snapshot has its own.
 */
async function readModel(command: string, opts: InputOptions, io: Io): Promise<RbacModel> {
  const spec = { command: `rbac ${command}`, manifestsHint: '-f PATH (- for stdin)', manifestsShort: '-f', kinds: RBAC_KINDS, required: RBAC_KINDS };
  const { inventory } = await readQueryInventory(spec, opts.filename ?? [], opts, io);
  if (inventory.inputs.has('manifests') && opts.kubernetesVersion !== undefined) inventory.kubernetesVersion = opts.kubernetesVersion;
  for (const kind of RBAC_KINDS) {
    const why = inventory.unreadableKinds.get(kind);
    if (why) throw new UsageError(`rbac ${command}: could not read ${kind}: ${why}`);
  }
  // The scan checks' model: the built-in roles added for manifests, not for a cluster's own.
  return rbacModelOf(inventory);
}

interface RequestOptions {
  namespace?: string;
  allNamespaces?: boolean;
  subresource?: string;
  name?: string;
}

/** The request kubectl would send for VERB and `RESOURCE[.GROUP][/NAME]` or `/path`, with its warnings. */
function buildRequest(verb: string, target: string, opts: RequestOptions, io: Io): Request {
  const warn = (s: string) => io.stderr.write(`Warning: ${s}\n`);
  if (target.startsWith('/')) {
    if (opts.subresource) throw new UsageError('--subresource can not be used with NonResourceURL');
    if (!NON_RESOURCE_VERBS.has(verb)) warn(`verb '${verb}' is not a known verb`);
    return { verb, path: target };
  }
  const arg = parseResourceArg(target);
  if (opts.name !== undefined && arg.name !== undefined) throw new UsageError(`give the name once: "${target}" or --name ${opts.name}`);
  const namespace = opts.allNamespaces ? '' : (opts.namespace ?? 'default');
  if (!arg.known && !NON_STANDARD.has(arg.resource)) warn(`the server doesn't have a resource type '${arg.resource}'${arg.apiGroup ? ` in group '${arg.apiGroup}'` : ''}`);
  const type = RESOURCE_KINDS.map((k) => resourceType(k)!).find((t) => t.resource === arg.resource && t.group === arg.apiGroup);
  if (type && !type.namespaced && !opts.allNamespaces) warn(`resource '${arg.resource}' is not namespace scoped${arg.apiGroup ? ` in group '${arg.apiGroup}'` : ''}`);
  if (!RESOURCE_VERBS.has(verb)) warn(`verb '${verb}' is not a known verb`);
  const request: Request = { verb, apiGroup: arg.apiGroup, resource: arg.resource, namespace };
  if (opts.subresource) request.subresource = opts.subresource;
  const name = arg.name ?? opts.name;
  if (name !== undefined) request.name = name;
  return request;
}

function describeGrant(g: Grant): string {
  const b = g.binding;
  const r = g.role;
  return `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} -> ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} rule ${g.ruleIndex}: ${JSON.stringify(g.rule)}`;
}

export function rbacCommand(io: Io, done: (code: number) => void): Command {
  const rbac = new Command('rbac').summary("the RBAC engine's own queries").description("The RBAC engine's own queries: who can do what, exactly as the API server's RBAC authorizer decides.");

  const canI = new Command('can-i')
    .summary('can a user do VERB on RESOURCE? as `kubectl auth can-i --as`')
    .description(
      'Answer yes or no (exit 0 or 1) as `kubectl auth can-i --as USER` would against the same RBAC objects: RESOURCE is RESOURCE[.GROUP][/NAME] ' +
        '(plural, singular, kind or short name) or a non-resource /path. --as implies the groups impersonation implies: system:authenticated for every user ' +
        'but system:anonymous (system:unauthenticated), and a service account\'s two groups when no --as-group is given. Members of system:masters may do everything.',
    )
    .argument('<verb>', 'get, list, create, update, patch, delete, watch, use, bind, escalate, impersonate, ...')
    .argument('<resource>', 'RESOURCE[.GROUP][/NAME] or /path')
    .requiredOption('--as <user>', 'the user to ask for (system:serviceaccount:NS:NAME for a service account)')
    .option('--as-group <group>', 'a group of the user (repeatable)', collect)
    .option('-n, --namespace <ns>', 'the namespace of the request', 'default')
    .option('-A, --all-namespaces', 'ask for every namespace at once (a ClusterRoleBinding is then needed)')
    .option('--subresource <s>', 'a subresource such as log, exec or scale')
    .option('--explain', 'after the answer, the bindings, roles and rules that grant it');
  addInputOptions(canI).action(async (verb: string, target: string, opts: InputOptions & RequestOptions & { as: string; asGroup?: string[]; explain?: boolean }) => {
    const request = buildRequest(verb, target, opts, io);
    const user = impersonatedUser(opts.as, opts.asGroup ?? []);
    const model = await readModel('can-i', opts, io);
    const decision = authorize(model, user, request);
    io.stdout.write(decision.allowed ? 'yes\n' : 'no\n');
    if (opts.explain && decision.allowed) {
      if (decision.reason === 'system:masters') io.stdout.write('  through the system:masters group (no RBAC rule needed)\n');
      for (const g of decision.grants) io.stdout.write(`  ${describeGrant(g)}\n`);
    }
    done(decision.allowed ? 0 : 1);
  });
  rbac.addCommand(canI);

  const who = new Command('who-can')
    .summary('every subject that may do VERB on RESOURCE, and through what')
    .description(
      'List the subjects (users, groups, service accounts) that RBAC bindings allow VERB on RESOURCE, each with the binding, role and rule that grant it. ' +
        'Without -n the question is cluster-wide (only ClusterRoleBindings grant that); members of system:masters may do everything and are not listed.',
    )
    .argument('<verb>', 'the verb')
    .argument('<resource>', 'RESOURCE[.GROUP][/NAME] or /path')
    .option('-n, --namespace <ns>', 'the namespace of the request (default: cluster-wide)')
    .option('--name <name>', 'the object name')
    .option('--subresource <s>', 'a subresource such as log, exec or scale')
    .option('--format <name>', 'output format: text, json, csv or dot (Graphviz: subjects -> bindings -> roles)', 'text');
  addInputOptions(who).action(async (verb: string, target: string, opts: InputOptions & RequestOptions & { format: string }) => {
    if (!WHO_CAN_FORMATS.includes(opts.format)) throw new UsageError(`--format: "${opts.format}" is not one of ${WHO_CAN_FORMATS.join(', ')}`);
    const request = buildRequest(verb, target, { ...opts, allNamespaces: opts.namespace === undefined }, io);
    const model = await readModel('who-can', opts, io);
    const entries = whoCan(model, request);
    if (opts.format === 'json') {
      io.stdout.write(`${JSON.stringify({ request, subjects: entries }, null, 2)}\n`);
    } else if (opts.format === 'csv') {
      io.stdout.write(whoCanCsv(entries));
    } else if (opts.format === 'dot') {
      io.stdout.write(grantsDot(`who can ${verb} ${target}${opts.subresource ? `/${opts.subresource}` : ''}${opts.namespace ? ` in namespace ${opts.namespace}` : ' cluster-wide'}`, whoCanGrants(entries)));
    } else {
      for (const e of entries) {
        io.stdout.write(`${subjectDisplay(e.subject)}\n`);
        for (const g of e.grants) io.stdout.write(`  ${describeGrant(g)}\n`);
      }
      if (entries.length === 0) io.stdout.write('nobody (but members of system:masters)\n');
    }
    done(0);
  });
  rbac.addCommand(who);

  const access = new Command('access')
    .summary("a user's effective permissions: resources x verbs, per namespace")
    .description(
      'The effective RBAC permissions of a user (with --as-group groups, and the groups impersonation implies, as can-i): for the cluster (ClusterRoleBindings) ' +
        'and for every namespace where a RoleBinding adds to it, one row per resource or non-resource URL and a mark per verb its rules allow.',
    )
    .argument('<user>', 'the user (system:serviceaccount:NS:NAME for a service account)')
    .option('--as-group <group>', 'a group of the user (repeatable)', collect)
    .option('--format <name>', 'output format: text, json, csv or dot (Graphviz: the user -> bindings -> roles)', 'text');
  addInputOptions(access).action(async (name: string, opts: InputOptions & { asGroup?: string[]; format: string }) => {
    if (!ACCESS_FORMATS.includes(opts.format)) throw new UsageError(`--format: "${opts.format}" is not one of ${ACCESS_FORMATS.join(', ')}`);
    const user = impersonatedUser(name, opts.asGroup ?? []);
    const model = await readModel('access', opts, io);
    const rows = accessRows(model, user);
    if (opts.format === 'dot') {
      const grants = ['', ...model.bindingNamespaces()].flatMap((ns) => rulesFor(model, user, ns).filter((g) => !ns || g.binding.kind === 'RoleBinding'));
      io.stdout.write(grantsDot(`what ${name} may do`, grants.map((grant) => ({ subject: grant.subject, grant }))));
    } else if (opts.format === 'json') io.stdout.write(`${JSON.stringify({ user, rows }, null, 2)}\n`);
    else if (opts.format === 'csv') io.stdout.write(['namespace,target,verbs', ...rows.map((r) => [r.namespace || '*', r.target, r.verbs.join(' ')].map(csvCell).join(','))].join('\n') + '\n');
    else {
      const verbs = [...new Set(rows.flatMap((r) => r.verbs))].sort((a, b) => verbOrder(a) - verbOrder(b) || (a < b ? -1 : 1));
      const head = ['NAMESPACE', 'RESOURCE', ...verbs.map((v) => v.toUpperCase())];
      const table = [head, ...rows.map((r) => [r.namespace || '(cluster)', r.target, ...verbs.map((v) => (r.verbs.includes(v) ? 'x' : ''))])];
      const widths = head.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      io.stdout.write(table.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
      if (user.groups.includes('system:masters')) io.stdout.write('(member of system:masters: allowed everything, whatever the rules say)\n');
    }
    done(0);
  });
  rbac.addCommand(access);
  return rbac;
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', '*'];
const verbOrder = (v: string) => (VERB_ORDER.includes(v) ? VERB_ORDER.indexOf(v) : VERB_ORDER.length);

const WHO_CAN_FORMATS = ['text', 'json', 'csv', 'dot'];
const ACCESS_FORMATS = ['text', 'json', 'csv', 'dot'];

export interface AccessRow {
  /** '' for cluster-wide (ClusterRoleBindings). */
  namespace: string;
  /** `pods`, `deployments.apps/scale`, `secrets [app-config]` or a non-resource URL `/metrics`. */
  target: string;
  verbs: string[];
}

/** The user's rules, cluster-wide and per namespace, folded into one row per target. */
export function accessRows(model: RbacModel, user: { name: string; groups: readonly string[] }): AccessRow[] {
  const rows = new Map<string, AccessRow>();
  const add = (namespace: string, target: string, verbs: readonly string[]) => {
    const key = `${namespace}\u0000${target}`;
    const row = rows.get(key) ?? { namespace, target, verbs: [] };
    for (const v of verbs) if (!row.verbs.includes(v)) row.verbs.push(v);
    rows.set(key, row);
  };
  for (const namespace of ['', ...model.bindingNamespaces()]) {
    for (const g of rulesFor(model, user, namespace)) {
      // In a namespace, show what RoleBindings add; the cluster-wide rules are the first rows.
      if (namespace && g.binding.kind === 'ClusterRoleBinding') continue;
      const r = g.rule;
      const names = r.resourceNames?.length ? ` [${r.resourceNames.join(', ')}]` : '';
      for (const url of namespace ? [] : (r.nonResourceURLs ?? [])) add('', url, r.verbs);
      for (const group of r.apiGroups ?? []) for (const resource of r.resources ?? []) add(namespace, `${resource}${group ? `.${group}` : ''}${names}`, r.verbs);
    }
  }
  return [...rows.values()]
    .map((r) => ({ ...r, verbs: r.verbs.sort((a, b) => verbOrder(a) - verbOrder(b) || (a < b ? -1 : 1)) }))
    .sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}
