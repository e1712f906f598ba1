// Package schemas holds the public contract of docspace-offboarding as files: the JSON Schemas
// (draft 2020-12) of every event payload, an AsyncAPI 3.0 document describing the whole messaging
// interface, and examples. The files are embedded, so code and tests validate against exactly what
// is published.
//
// The schemas carry no $id: their relative references (for example "defs.schema.json#/$defs/guid")
// resolve against wherever the files are read from. [Compile] resolves them against [BaseURL].
package schemas

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// FS holds the schema files, asyncapi.yaml, and the examples/ directory.
//
//go:embed *.schema.json asyncapi.yaml examples
var FS embed.FS

// Names of the files in [FS].
const (
	// Defs holds definitions the other schemas share (GUIDs, entry ids, times).
	Defs = "defs.schema.json"
	// EmployeeTerminated is the schema of the data of an employee.terminated event.
	EmployeeTerminated = "employee-terminated.schema.json"
	// EmployeeTerminationCancelled is the schema of the data of an
	// employee.termination.cancelled event.
	EmployeeTerminationCancelled = "employee-termination-cancelled.schema.json"
	// OffboardingResult is the schema of the data of offboarding.completed and offboarding.failed.
	OffboardingResult = "offboarding-result.schema.json"
	// OffboardingProgress is the schema of the data of offboarding.progress.
	OffboardingProgress = "offboarding-progress.schema.json"
	// CloudEventEnvelope is the schema of a CloudEvent in the JSON event format (structured mode),
	// with data left to the schema of each event type.
	CloudEventEnvelope = "cloudevent-envelope.schema.json"
	// AsyncAPI is the AsyncAPI 3.0 document of the messaging interface.
	AsyncAPI = "asyncapi.yaml"
	// ExamplesDir is the directory of example payloads: one valid file per payload, and invalid
	// ones under ExamplesDir/invalid.
	ExamplesDir = "examples"
)

// BaseURL is the URL [Compile] gives the schema files, so that their relative references resolve.
// It names the files' home; nothing is fetched from it.
const BaseURL = "https://github.com/docspace-offboarding/docspace-offboarding/schemas/"

// ErrUnknownSchema is returned for a name that is not one of the schema files.
var ErrUnknownSchema = errors.New("unknown schema")

// Names returns the names of the JSON Schema files in [FS], in a fixed order.
func Names() []string {
	return []string{
		Defs,
		EmployeeTerminated,
		EmployeeTerminationCancelled,
		OffboardingResult,
		OffboardingProgress,
		CloudEventEnvelope,
	}
}

// Read returns the content of the named file of [FS]: a schema, asyncapi.yaml, or an example
// ("examples/employee-terminated.json").
func Read(name string) ([]byte, error) {
	b, err := fs.ReadFile(FS, name)
	if err != nil {
		return nil, fmt.Errorf("read schema file %s: %w", name, err)
	}
	return b, nil
}

// URL returns the URL under which [Compile] knows the named file.
func URL(name string) string { return BaseURL + name }

// Compile compiles the named schemas with one compiler, so shared definitions are compiled once,
// and returns them in the order asked. Format assertions are on: "format": "email" or "date-time"
// is checked, not only annotated. The returned schemas are safe for concurrent use.
func Compile(names ...string) ([]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(loader{})
	out := make([]*jsonschema.Schema, 0, len(names))
	for _, name := range names {
		if !isSchema(name) {
			return nil, fmt.Errorf("compile %s: %w", name, ErrUnknownSchema)
		}
		s, err := c.Compile(URL(name))
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func isSchema(name string) bool {
	for _, n := range Names() {
		if n == name {
			return true
		}
	}
	return false
}

// loader serves the embedded schema files to the compiler and refuses every other URL, so
// compiling never reaches the network or the file system.
type loader struct{}

func (loader) Load(url string) (any, error) {
	name, ok := strings.CutPrefix(url, BaseURL)
	if !ok || !isSchema(name) {
		return nil, fmt.Errorf("load %s: %w", url, ErrUnknownSchema)
	}
	f, err := FS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", url, err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", url, err)
	}
	return doc, nil
}

var _ jsonschema.URLLoader = loader{}
