package chaos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Binaries are the programs a chaos run starts.
type Binaries struct {
	Consumer   string
	Simulator  string
	NATSServer string
}

// natsServerPackage is the main package of nats-server, built at the version
// go.mod pins.
const natsServerPackage = "github.com/nats-io/nats-server/v2"

// BuildOptions configure Build.
type BuildOptions struct {
	// Dir receives the binaries. Building into the same directory again is
	// cheap: the go command leaves an up-to-date binary alone.
	Dir string
	// ModuleDir is the module's root; default: the module of the working
	// directory, as `go env GOMOD` reports it.
	ModuleDir string
}

// Build compiles the consumer, the DocSpace simulator and nats-server (the
// version go.mod pins), without the race detector, into o.Dir.
func Build(ctx context.Context, o BuildOptions) (*Binaries, error) {
	if o.Dir == "" {
		return nil, errors.New("build: a directory is required")
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	mod := o.ModuleDir
	if mod == "" {
		if mod, err = moduleDir(ctx); err != nil {
			return nil, err
		}
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", dir+string(filepath.Separator),
		"./cmd/consumer", "./cmd/docspace-simulator", natsServerPackage)
	cmd.Dir = mod
	// GOFLAGS might carry -race from a test run; the programs are built plain.
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("build the programs: %w\n%s", err, strings.TrimSpace(out.String()))
	}
	b := &Binaries{
		Consumer:   filepath.Join(dir, exe("consumer")),
		Simulator:  filepath.Join(dir, exe("docspace-simulator")),
		NATSServer: filepath.Join(dir, exe("nats-server")),
	}
	for _, p := range []string{b.Consumer, b.Simulator, b.NATSServer} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	return b, nil
}

// moduleDir finds the root of the module the working directory is in.
func moduleDir(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("find the module: the working directory is not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}
