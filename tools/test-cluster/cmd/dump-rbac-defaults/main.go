// Command dump-rbac-defaults prints the RBAC objects that the kube-apiserver it is built
// against (the release pinned in tools/test-cluster/go.mod, or another one: see
// scripts/update-rbac-defaults.sh, which also builds this file alone in a temporary module for
// k8s.io/kubernetes v1.33 and later) creates in a new cluster through its
// "rbac/bootstrap-roles" post-start hook, as one JSON `List`
// (apiVersion v1) of rbac.authorization.k8s.io/v1 ClusterRoles, ClusterRoleBindings, Roles and
// RoleBindings. kubeladder's RBAC engine uses them (src/engines/rbac/defaults/) when the scanned
// manifests do not contain them. Run through scripts/update-rbac-defaults.sh.
//
// It takes exactly what k8s.io/kubernetes/pkg/registry/rbac/rest/storage_rbac.go's
// PostStartHook reconciles:
//
//	ClusterRoles:        bootstrappolicy.ClusterRoles() + bootstrappolicy.ControllerRoles()
//	ClusterRoleBindings: bootstrappolicy.ClusterRoleBindings() + bootstrappolicy.ControllerRoleBindings()
//	Roles:               bootstrappolicy.NamespaceRoles()        (kube-system, kube-public)
//	RoleBindings:        bootstrappolicy.NamespaceRoleBindings() (kube-system, kube-public)
//
// On a new cluster the reconciler creates each object as given (component-helpers'
// reconciliation.ReconcileRoleOptions: a missing role is created from the bootstrap object
// unchanged), so the aggregated ClusterRoles (admin, edit, view) are created with their
// aggregationRule and no rules; the clusterrole-aggregation controller of
// kube-controller-manager fills their rules in afterwards. This output keeps them empty, as
// created: a consumer computes the aggregation from the contributors' labels, as it must for
// any aggregated ClusterRole.
//
// The hook's two migration steps (primeAggregatedClusterRoles, primeSplitClusterRoleBindings)
// only copy objects that already exist under old names, so they create nothing in a new
// cluster and are not reproduced.
//
// Some rules depend on feature gates; this program leaves every gate at its default for the
// release it is built against (the gate's emulation version is component-base's
// DefaultKubeBinaryVersion, as in the API server when --emulated-version is not set), so the
// output is that of an API server started without --feature-gates.
//
// The API server's defaulting (roleRef.apiGroup, subjects[].apiGroup) is applied through the
// legacy scheme, as the API server applies it on create. Nothing volatile is printed (uid,
// resourceVersion, generation, creationTimestamp, managedFields are cleared).
//
// Output: `{"apiVersion":"v1","kind":"List","items":[` then one compact object per line,
// sorted by kind, namespace and name, then `]}`. The Kubernetes version is printed to stderr.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install" // registers rbac/v1 defaulting in legacyscheme.Scheme
	"k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/bootstrappolicy"
)

type item struct {
	kind, namespace, name string
	obj                   runtime.Object
}

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintln(os.Stderr, "usage: dump-rbac-defaults > defaults.json")
		os.Exit(2)
	}
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "dump-rbac-defaults: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	var items []item
	add := func(kind string, obj runtime.Object, namespace, name string) {
		legacyscheme.Scheme.Default(obj)
		items = append(items, item{kind: kind, namespace: namespace, name: name, obj: obj})
	}

	for _, r := range append(bootstrappolicy.ClusterRoles(), bootstrappolicy.ControllerRoles()...) {
		r := r.DeepCopy()
		r.TypeMeta.APIVersion, r.TypeMeta.Kind = rbacv1.SchemeGroupVersion.String(), "ClusterRole"
		if r.Rules == nil {
			// `rules` has no omitempty: print [] rather than null for the aggregated roles.
			r.Rules = []rbacv1.PolicyRule{}
		}
		add("ClusterRole", r, "", r.Name)
	}
	for _, b := range append(bootstrappolicy.ClusterRoleBindings(), bootstrappolicy.ControllerRoleBindings()...) {
		b := b.DeepCopy()
		b.TypeMeta.APIVersion, b.TypeMeta.Kind = rbacv1.SchemeGroupVersion.String(), "ClusterRoleBinding"
		add("ClusterRoleBinding", b, "", b.Name)
	}
	for ns, roles := range bootstrappolicy.NamespaceRoles() {
		for _, r := range roles {
			r := r.DeepCopy()
			r.TypeMeta.APIVersion, r.TypeMeta.Kind = rbacv1.SchemeGroupVersion.String(), "Role"
			if r.Namespace != ns {
				return fmt.Errorf("Role %s/%s listed under namespace %q", r.Namespace, r.Name, ns)
			}
			if r.Rules == nil {
				r.Rules = []rbacv1.PolicyRule{}
			}
			add("Role", r, ns, r.Name)
		}
	}
	for ns, bindings := range bootstrappolicy.NamespaceRoleBindings() {
		for _, b := range bindings {
			b := b.DeepCopy()
			b.TypeMeta.APIVersion, b.TypeMeta.Kind = rbacv1.SchemeGroupVersion.String(), "RoleBinding"
			if b.Namespace != ns {
				return fmt.Errorf("RoleBinding %s/%s listed under namespace %q", b.Namespace, b.Name, ns)
			}
			add("RoleBinding", b, ns, b.Name)
		}
	}

	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		if a.namespace != b.namespace {
			return a.namespace < b.namespace
		}
		return a.name < b.name
	})
	for i := 1; i < len(items); i++ {
		a, b := items[i-1], items[i]
		if a.kind == b.kind && a.namespace == b.namespace && a.name == b.name {
			return fmt.Errorf("duplicate %s %s/%s", a.kind, a.namespace, a.name)
		}
	}

	var out bytes.Buffer
	out.WriteString(`{"apiVersion":"v1","kind":"List","items":[` + "\n")
	for i, it := range items {
		line, err := marshal(it.obj)
		if err != nil {
			return fmt.Errorf("%s %s/%s: %w", it.kind, it.namespace, it.name, err)
		}
		out.Write(line)
		if i < len(items)-1 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
	}
	out.WriteString("]}\n")
	if _, err := os.Stdout.Write(out.Bytes()); err != nil {
		return err
	}

	counts := map[string]int{}
	for _, it := range items {
		counts[it.kind]++
	}
	fmt.Fprintf(os.Stderr, "dump-rbac-defaults: k8s.io/kubernetes %s: %d ClusterRoles, %d ClusterRoleBindings, %d Roles, %d RoleBindings\n",
		kubernetesVersion(), counts["ClusterRole"], counts["ClusterRoleBinding"], counts["Role"], counts["RoleBinding"])
	return nil
}

// marshal prints one object compactly, without HTML escaping (so `<`, `>` and `&` read as they
// are), after clearing the metadata a server sets or changes (the bootstrap objects carry none of
// it today; cleared so that the output never depends on it).
func marshal(obj runtime.Object) ([]byte, error) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil, err
	}
	m.SetUID("")
	m.SetResourceVersion("")
	m.SetGeneration(0)
	m.SetCreationTimestamp(metav1.Time{})
	m.SetManagedFields(nil)
	m.SetSelfLink("")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return nil, err
	}
	line := bytes.TrimRight(buf.Bytes(), "\n")
	// Up to k8s.io/apimachinery v0.33 (Kubernetes 1.33), ObjectMeta's creationTimestamp is only
	// `omitempty`, which encoding/json ignores for a struct, so the cleared (zero) time prints as
	// `"creationTimestamp":null`; from v0.34 it is also `omitzero` and is left out. Leave it out
	// for every release (scripts/update-rbac-defaults.sh builds this file against older releases
	// too). It follows `name`, the first field, so it comes with a comma before it.
	line = bytes.Replace(line, []byte(`,"creationTimestamp":null`), nil, 1)
	if bytes.Contains(line, []byte(`"creationTimestamp"`)) || !json.Valid(line) {
		return nil, fmt.Errorf("creationTimestamp left in, or invalid JSON: %s", line)
	}
	return line, nil
}

// kubernetesVersion is the k8s.io/kubernetes module this program was built from.
func kubernetesVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "k8s.io/kubernetes" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "(unknown)"
}
