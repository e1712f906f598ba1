package chaos_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/chaos"
)

// echoServer answers every line with the same line, until the test ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a line through c and reads it back.
func roundTrip(c net.Conn, line string) (string, error) {
	if err := c.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return "", err
	}
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return "", err
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "", err
	}
	return got[:len(got)-1], nil
}

func TestProxyCutAndRestore(t *testing.T) {
	t.Parallel()
	p, err := chaos.NewProxy(echoServer(t))
	if err != nil {
		t.Fatalf("NewProxy: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })

	before, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer before.Close()
	if got, err := roundTrip(before, "hello"); err != nil || got != "hello" {
		t.Fatalf("through the proxy: got %q, %v; want %q", got, err, "hello")
	}

	p.Cut()
	if _, err := roundTrip(before, "after the cut"); err == nil {
		t.Error("a connection open at the cut still carries data")
	}
	if c, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		if got, err := roundTrip(c, "through a cut"); err == nil {
			t.Errorf("a connection made during the cut carried %q; want it closed at once", got)
		}
		c.Close()
	}

	if err := p.Restore(); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	after, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatalf("dial after restore: %v", err)
	}
	defer after.Close()
	if got, err := roundTrip(after, "again"); err != nil || got != "again" {
		t.Fatalf("after restore: got %q, %v; want %q", got, err, "again")
	}
	if got := p.Connections(); got != 1 {
		t.Errorf("Connections() = %d, want 1", got)
	}

	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := p.Restore(); !errors.Is(err, chaos.ErrProxyClosed) {
		t.Errorf("Restore after Close: got %v, want %v", err, chaos.ErrProxyClosed)
	}
}
