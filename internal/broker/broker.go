// Package broker runs an embedded NATS server with JetStream: the default
// broker when no NATS_URL is given, the demo's broker, and the tests' broker.
package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Options configure an embedded server.
type Options struct {
	// Name identifies the server (and is its JetStream node name in a cluster).
	Name string
	// Host and Port are the client listener; Port -1 picks a free port.
	Host string
	Port int
	// StoreDir holds JetStream's files; required.
	StoreDir string
	// SyncAlways makes JetStream fsync each write before acknowledging it, so an
	// acknowledged publish survives an OS crash. Off, the server syncs every
	// two minutes: faster, but a machine crash can lose acknowledged messages.
	SyncAlways bool
	// Cluster, when set, joins a NATS cluster.
	Cluster *Cluster
	// Logger receives the server's own log lines; nil discards them.
	Logger *slog.Logger
	// ReadyTimeout bounds the wait for the server to accept clients (default 10 s).
	ReadyTimeout time.Duration
}

// Cluster configures clustering of an embedded server.
type Cluster struct {
	Name string
	Host string
	Port int // -1 picks a free port
	// Routes are the other nodes' cluster URLs, e.g. nats://127.0.0.1:6223.
	Routes []string
}

// Server is a running embedded NATS server.
type Server struct {
	ns *server.Server
}

// Start starts a server and waits until it accepts clients.
func Start(o Options) (*Server, error) {
	if o.StoreDir == "" {
		return nil, errors.New("start nats server: a JetStream store directory is required")
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 10 * time.Second
	}
	if o.Port > 0 && portInUse(o.Host, o.Port) {
		return nil, fmt.Errorf("start nats server: %s is already in use (set NATS_URL to use the server there, or free the port)", net.JoinHostPort(o.Host, strconv.Itoa(o.Port)))
	}
	opts := &server.Options{
		ServerName: o.Name,
		Host:       o.Host,
		Port:       o.Port,
		JetStream:  true,
		StoreDir:   o.StoreDir,
		NoSigs:     true,
		MaxPayload: 8 << 20,
	}
	if o.SyncAlways {
		opts.SyncAlways = true
		opts.SyncInterval = 2 * time.Minute
	}
	if c := o.Cluster; c != nil {
		routes, err := parseRoutes(c.Routes)
		if err != nil {
			return nil, err
		}
		opts.Cluster = server.ClusterOpts{Name: c.Name, Host: c.Host, Port: c.Port}
		opts.Routes = routes
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("configure nats server: %w", err)
	}
	if o.Logger != nil {
		ns.SetLoggerV2(logAdapter{o.Logger}, false, false, false)
	}
	ns.Start()
	if !ns.ReadyForConnections(o.ReadyTimeout) {
		ns.Shutdown()
		return nil, fmt.Errorf("start nats server: not ready for connections within %s", o.ReadyTimeout)
	}
	return &Server{ns: ns}, nil
}

func parseRoutes(routes []string) ([]*url.URL, error) {
	out := make([]*url.URL, 0, len(routes))
	for _, r := range routes {
		u, err := url.Parse(r)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("cluster route %q: not a nats://host:port URL", r)
		}
		out = append(out, u)
	}
	return out, nil
}

func portInUse(host string, port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// ClientURL is the URL clients connect to.
func (s *Server) ClientURL() string { return s.ns.ClientURL() }

// ClusterURL is the URL other nodes route to, or "" when not clustered.
func (s *Server) ClusterURL() string {
	addr := s.ns.ClusterAddr()
	if addr == nil {
		return ""
	}
	return "nats://" + addr.String()
}

// Name is the server's name.
func (s *Server) Name() string { return s.ns.Name() }

// WaitJetStream waits until JetStream is enabled and, in a cluster, current
// with its meta leader.
func (s *Server) WaitJetStream(ctx context.Context) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if s.ns.JetStreamEnabled() && (!s.ns.JetStreamIsClustered() || s.ns.JetStreamIsCurrent()) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for jetstream on %s: %w", s.ns.Name(), ctx.Err())
		case <-t.C:
		}
	}
}

// Shutdown stops the server, waiting until it has stopped. JetStream state is
// flushed to disk first.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}

// logAdapter feeds the server's log into slog.
type logAdapter struct{ l *slog.Logger }

func (a logAdapter) Noticef(format string, v ...any) { a.l.Debug(fmt.Sprintf(format, v...)) }
func (a logAdapter) Warnf(format string, v ...any)   { a.l.Warn(fmt.Sprintf(format, v...)) }
func (a logAdapter) Fatalf(format string, v ...any)  { a.l.Error(fmt.Sprintf(format, v...)) }
func (a logAdapter) Errorf(format string, v ...any)  { a.l.Error(fmt.Sprintf(format, v...)) }
func (a logAdapter) Debugf(format string, v ...any)  { a.l.Debug(fmt.Sprintf(format, v...)) }
func (a logAdapter) Tracef(format string, v ...any)  { a.l.Debug(fmt.Sprintf(format, v...)) }
