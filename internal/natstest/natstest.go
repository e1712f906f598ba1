// Package natstest runs real NATS servers in-process for tests: a single
// JetStream server, or a small cluster, each on free loopback ports with its
// storage in the test's temporary directory.
package natstest

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docspace-offboarding/docspace-offboarding/internal/broker"
)

// Start runs a JetStream server for the test and returns it; it shuts down at cleanup.
func Start(t testing.TB) *broker.Server {
	t.Helper()
	s, err := broker.Start(broker.Options{Name: "test", Port: -1, StoreDir: t.TempDir()})
	if err != nil {
		t.Fatalf("start nats server: %v", err)
	}
	t.Cleanup(s.Shutdown)
	return s
}

// Connect opens a connection to url, closed at cleanup.
func Connect(t testing.TB, url string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		t.Fatalf("connect to %s: %v", url, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// JetStream starts a server and returns a JetStream handle on a connection to it.
func JetStream(t testing.TB) (jetstream.JetStream, *nats.Conn, *broker.Server) {
	t.Helper()
	s := Start(t)
	nc := Connect(t, s.ClientURL())
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	return js, nc, s
}

// Cluster is a set of clustered in-process servers.
type Cluster struct {
	Servers []*broker.Server
	dirs    []string
	ports   []int
	name    string
}

// StartCluster runs n clustered JetStream servers and waits until JetStream has
// a meta leader. Servers shut down at cleanup.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	c := &Cluster{name: "test-cluster", ports: freePorts(t, n)}
	for range n {
		c.dirs = append(c.dirs, t.TempDir())
	}
	c.Servers = make([]*broker.Server, n)
	for i := range n {
		c.Restart(t, i)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range c.Servers {
		if err := s.WaitJetStream(ctx); err != nil {
			t.Fatalf("cluster: %v", err)
		}
	}
	return c
}

// URLs is every node's client URL, comma separated, as NATS_URL takes them.
func (c *Cluster) URLs() string {
	var out string
	for i, s := range c.Servers {
		if s == nil {
			continue
		}
		if i > 0 && out != "" {
			out += ","
		}
		out += s.ClientURL()
	}
	return out
}

// Stop shuts node i down.
func (c *Cluster) Stop(i int) {
	if c.Servers[i] != nil {
		c.Servers[i].Shutdown()
		c.Servers[i] = nil
	}
}

// Restart starts node i again (with its previous storage) if it is stopped.
func (c *Cluster) Restart(t testing.TB, i int) {
	t.Helper()
	if c.Servers[i] != nil {
		return
	}
	var routes []string
	for j, p := range c.ports {
		if j != i {
			routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
		}
	}
	s, err := broker.Start(broker.Options{
		Name:     fmt.Sprintf("n%d", i+1),
		Port:     -1,
		StoreDir: c.dirs[i],
		Cluster:  &broker.Cluster{Name: c.name, Host: "127.0.0.1", Port: c.ports[i], Routes: routes},
	})
	if err != nil {
		t.Fatalf("start cluster node %d: %v", i+1, err)
	}
	c.Servers[i] = s
	t.Cleanup(func() { c.Stop(i) })
}

// freePorts finds n distinct free loopback ports: every listener stays open
// until all are chosen, so no port is handed out twice.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find a free port: %v", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}
