// Command etcd is the upstream etcd server (go.etcd.io/etcd/server/v3), built
// from the Go module proxy for kubeladder's integration tests. It mirrors
// etcd's own main.go.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
