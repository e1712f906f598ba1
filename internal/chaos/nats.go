package chaos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// NATSOptions configure StartNATS.
type NATSOptions struct {
	// Binary is the nats-server program.
	Binary string
	// Dir holds the nodes' configuration, storage and logs.
	Dir string
	// Nodes is 1 (a single server) or 3 (a cluster; streams and the bucket
	// then need three replicas).
	Nodes int
	// ReadyTimeout bounds the wait for a node to report itself healthy;
	// default 30 s.
	ReadyTimeout time.Duration
}

// NATSNode is one nats-server process.
type NATSNode struct {
	Name        string
	Port        int
	ClusterPort int // 0 for a single server
	MonitorPort int
	StoreDir    string
	ConfigPath  string
	proc        *Process
}

// URL is the node's client URL.
func (n *NATSNode) URL() string { return "nats://" + loopback(n.Port) }

// Process is the node's process.
func (n *NATSNode) Process() *Process { return n.proc }

// NATS is a single nats-server or a three-node cluster, each node a process
// with JetStream storing on disk and syncing every write (sync_interval:
// always).
type NATS struct {
	Nodes   []*NATSNode
	http    *http.Client
	timeout time.Duration
}

// StartNATS writes the nodes' configuration, starts them and waits until each
// reports itself healthy (a cluster: with a JetStream meta leader).
func StartNATS(ctx context.Context, o NATSOptions) (*NATS, error) {
	if o.Nodes != 1 && o.Nodes != 3 {
		return nil, fmt.Errorf("start nats: %d nodes; want 1 or 3", o.Nodes)
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 30 * time.Second
	}
	per := 2
	if o.Nodes > 1 {
		per = 3
	}
	ports, err := freePorts(per * o.Nodes)
	if err != nil {
		return nil, fmt.Errorf("start nats: %w", err)
	}
	n := &NATS{http: &http.Client{Timeout: 2 * time.Second}, timeout: o.ReadyTimeout}
	for i := range o.Nodes {
		node := &NATSNode{
			Name:        fmt.Sprintf("n%d", i+1),
			Port:        ports[per*i],
			MonitorPort: ports[per*i+1],
		}
		if o.Nodes > 1 {
			node.ClusterPort = ports[per*i+2]
		}
		n.Nodes = append(n.Nodes, node)
	}
	for _, node := range n.Nodes {
		dir := filepath.Join(o.Dir, "nats-"+node.Name)
		node.StoreDir = filepath.Join(dir, "jetstream")
		node.ConfigPath = filepath.Join(dir, "nats.conf")
		if err := os.MkdirAll(node.StoreDir, 0o755); err != nil {
			return nil, fmt.Errorf("start nats: %w", err)
		}
		if err := os.WriteFile(node.ConfigPath, []byte(n.config(node)), 0o644); err != nil {
			return nil, fmt.Errorf("start nats: %w", err)
		}
		node.proc, err = NewProcess(ProcessSpec{
			Name: "nats-" + node.Name, Path: o.Binary, Args: []string{"-c", node.ConfigPath},
			Env: []string{}, LogDir: filepath.Join(o.Dir, "logs"),
		})
		if err != nil {
			return nil, fmt.Errorf("start nats: %w", err)
		}
	}
	for _, node := range n.Nodes {
		if err := node.proc.Start(); err != nil {
			n.Close(ctx)
			return nil, fmt.Errorf("start nats: %w", err)
		}
	}
	for i := range n.Nodes {
		if err := n.WaitHealthy(ctx, i); err != nil {
			n.Close(ctx)
			return nil, err
		}
	}
	return n, nil
}

// config is a node's configuration file.
func (n *NATS) config(node *NATSNode) string {
	var b strings.Builder
	fmt.Fprintf(&b, "server_name: %s\n", node.Name)
	fmt.Fprintf(&b, "listen: %s\n", loopback(node.Port))
	fmt.Fprintf(&b, "http: %s\n", loopback(node.MonitorPort))
	b.WriteString("max_payload: 8MB\n")
	b.WriteString("jetstream {\n")
	fmt.Fprintf(&b, "  store_dir: %s\n", strconv.Quote(node.StoreDir))
	b.WriteString("  sync_interval: always\n")
	b.WriteString("}\n")
	if node.ClusterPort != 0 {
		b.WriteString("cluster {\n  name: chaos\n")
		fmt.Fprintf(&b, "  listen: %s\n  routes: [\n", loopback(node.ClusterPort))
		for _, other := range n.Nodes {
			if other != node {
				fmt.Fprintf(&b, "    nats-route://%s\n", loopback(other.ClusterPort))
			}
		}
		b.WriteString("  ]\n}\n")
	}
	return b.String()
}

// URLs lists every node's client URL, comma separated, as NATS_URL takes them.
func (n *NATS) URLs() string {
	urls := make([]string, len(n.Nodes))
	for i, node := range n.Nodes {
		urls[i] = node.URL()
	}
	return strings.Join(urls, ",")
}

// Kill kills node i with SIGKILL: no shutdown, no flush.
func (n *NATS) Kill(i int) error { return n.Nodes[i].proc.Kill() }

// Stop stops node i with SIGTERM, a clean shutdown.
func (n *NATS) Stop(ctx context.Context, i int) error {
	return n.Nodes[i].proc.Stop(ctx, 15*time.Second)
}

// Start starts node i again on its ports and storage, and waits until it is healthy.
func (n *NATS) Start(ctx context.Context, i int) error {
	if err := n.Nodes[i].proc.Start(); err != nil {
		return fmt.Errorf("start nats node %s: %w", n.Nodes[i].Name, err)
	}
	return n.WaitHealthy(ctx, i)
}

// errUnhealthy is a health check that did not pass yet.
var errUnhealthy = errors.New("not healthy")

// WaitHealthy waits until node i answers its health check: accepting
// clients, JetStream enabled and, in a cluster, current with the meta leader
// and with the streams and consumers it holds.
func (n *NATS) WaitHealthy(ctx context.Context, i int) error {
	node := n.Nodes[i]
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	var last error
	err := node.proc.waitUntil(ctx, 50*time.Millisecond, func() (bool, error) {
		last = n.healthy(ctx, node)
		return last == nil, nil
	})
	switch {
	case errors.Is(err, errExited):
		return fmt.Errorf("wait for nats node %s: it exited; see %s", node.Name, node.proc.LogPath())
	case err != nil:
		return fmt.Errorf("wait for nats node %s: %w (last check: %v)", node.Name, err, last)
	}
	return nil
}

func (n *NATS) healthy(ctx context.Context, node *NATSNode) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+loopback(node.MonitorPort)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := n.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s %s", errUnhealthy, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// Connections counts the client connections named name on node i.
func (n *NATS) Connections(ctx context.Context, i int, name string) (int, error) {
	node := n.Nodes[i]
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+loopback(node.MonitorPort)+"/connz?limit=1024", nil)
	if err != nil {
		return 0, fmt.Errorf("connections of %s: %w", node.Name, err)
	}
	resp, err := n.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("connections of %s: %w", node.Name, err)
	}
	defer resp.Body.Close()
	var connz struct {
		Connections []struct {
			Name string `json:"name"`
		} `json:"connections"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&connz); err != nil {
		return 0, fmt.Errorf("connections of %s: %w", node.Name, err)
	}
	count := 0
	for _, c := range connz.Connections {
		if c.Name == name {
			count++
		}
	}
	return count, nil
}

// Close stops every node.
func (n *NATS) Close(ctx context.Context) {
	for i := range n.Nodes {
		if n.Nodes[i].proc != nil {
			_ = n.Stop(ctx, i)
		}
	}
}
