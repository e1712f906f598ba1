package schemas_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
	"github.com/docspace-offboarding/docspace-offboarding/schemas"
)

func TestCompile(t *testing.T) {
	t.Parallel()
	compiled, err := schemas.Compile(schemas.Names()...)
	if err != nil {
		t.Fatalf("Compile(all): %v", err)
	}
	if got, want := len(compiled), len(schemas.Names()); got != want {
		t.Errorf("Compile returned %d schemas, want %d", got, want)
	}

	for _, name := range []string{schemas.AsyncAPI, "nope.schema.json", "../go.mod"} {
		if _, err := schemas.Compile(name); !errors.Is(err, schemas.ErrUnknownSchema) {
			t.Errorf("Compile(%q) error = %v, want ErrUnknownSchema", name, err)
		}
	}
}

func TestEveryEmbeddedSchemaIsNamed(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(slices.Values(files))
	want := slices.Sorted(slices.Values(schemas.Names()))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("embedded schema files differ from Names() (-want +got):\n%s", diff)
	}
	for _, name := range files {
		var doc map[string]any
		if err := json.Unmarshal(read(t, name), &doc); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got, want := doc["$schema"], "https://json-schema.org/draft/2020-12/schema"; got != want {
			t.Errorf("%s: $schema = %v, want %s", name, got, want)
		}
	}
}

func TestRead(t *testing.T) {
	t.Parallel()
	b, err := schemas.Read(schemas.EmployeeTerminated)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if !json.Valid(b) {
		t.Errorf("Read(%s) is not JSON", schemas.EmployeeTerminated)
	}
	if _, err := schemas.Read("missing.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read(missing) error = %v, want fs.ErrNotExist", err)
	}
}

// exampleSchemas maps the stem of an example file name (up to its first dot) to the schemas the
// example is checked against. A .cloudevent example is a whole structured event: its envelope is
// checked against the envelope schema and its data against the stem's schema.
var exampleSchemas = map[string]string{
	"employee-terminated":            schemas.EmployeeTerminated,
	"employee-termination-cancelled": schemas.EmployeeTerminationCancelled,
	"offboarding-completed":          schemas.OffboardingResult,
	"offboarding-failed":             schemas.OffboardingResult,
	"offboarding-progress":           schemas.OffboardingProgress,
}

func TestExamples(t *testing.T) {
	t.Parallel()
	compiled := compileByName(t)

	for _, dir := range []string{schemas.ExamplesDir, schemas.ExamplesDir + "/invalid"} {
		entries, err := fs.ReadDir(schemas.FS, dir)
		if err != nil {
			t.Fatal(err)
		}
		valid := dir == schemas.ExamplesDir
		n := 0
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			n++
			name := path.Join(dir, e.Name())
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				stem, rest, _ := strings.Cut(e.Name(), ".")
				schemaName, ok := exampleSchemas[stem]
				if !ok {
					t.Fatalf("no schema for example %s", name)
				}
				doc := unmarshal(t, read(t, name))
				var errs []error
				if strings.HasPrefix(rest, "cloudevent.") {
					errs = append(errs, compiled[schemas.CloudEventEnvelope].Validate(doc))
					if obj, ok := doc.(map[string]any); ok {
						errs = append(errs, compiled[schemaName].Validate(obj["data"]))
					}
				} else {
					errs = append(errs, compiled[schemaName].Validate(doc))
				}
				err := errors.Join(errs...)
				if valid && err != nil {
					t.Errorf("valid example rejected: %v", err)
				}
				if !valid && err == nil {
					t.Errorf("invalid example accepted")
				}
			})
		}
		if n == 0 {
			t.Errorf("no examples in %s", dir)
		}
	}
}

func TestEveryPayloadHasAValidExample(t *testing.T) {
	t.Parallel()
	for stem := range exampleSchemas {
		if _, err := fs.Stat(schemas.FS, path.Join(schemas.ExamplesDir, stem+".json")); err != nil {
			t.Errorf("missing valid example for %s: %v", stem, err)
		}
	}
}

// officialSchema is the official JSON Schema of AsyncAPI 3.0.0 from the npm package
// @asyncapi/specs; see testdata/README.md.
const officialSchema = "testdata/asyncapi-3.0.0.schema.json"

func TestAsyncAPIValidatesAgainstOfficialSchema(t *testing.T) {
	t.Parallel()
	f, err := os.Open(officialSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	meta, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("parse %s: %v", officialSchema, err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://asyncapi.test/asyncapi-3.0.0.schema.json"
	if err := c.AddResource(url, meta); err != nil {
		t.Fatal(err)
	}
	official, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile official schema: %v", err)
	}

	if err := official.Validate(asyncAPI(t)); err != nil {
		t.Errorf("asyncapi.yaml is not valid AsyncAPI 3.0.0:\n%v", err)
	}

	// The official schema must be able to fail: a document without info is not AsyncAPI.
	broken := asyncAPI(t).(map[string]any)
	delete(broken, "info")
	if err := official.Validate(broken); err == nil {
		t.Errorf("official schema accepted a document without info")
	}
}

// TestAsyncAPIReferencesResolve follows every $ref of asyncapi.yaml, and of every schema file it
// reaches, to its target.
func TestAsyncAPIReferencesResolve(t *testing.T) {
	t.Parallel()
	docs := map[string]any{schemas.AsyncAPI: asyncAPI(t)}
	load := func(name string) (any, error) {
		if d, ok := docs[name]; ok {
			return d, nil
		}
		b, err := schemas.Read(name)
		if err != nil {
			return nil, err
		}
		d, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		docs[name] = d
		return d, nil
	}

	seen := map[string]bool{}
	queue := []string{schemas.AsyncAPI}
	refs := 0
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		doc, err := load(name)
		if err != nil {
			t.Errorf("load %s: %v", name, err)
			continue
		}
		walkRefs(doc, "", func(at, ref string) {
			refs++
			file, pointer, _ := strings.Cut(ref, "#")
			target := name
			if file != "" {
				target = path.Clean(path.Join(path.Dir(name), file))
				queue = append(queue, target)
			}
			tdoc, err := load(target)
			if err != nil {
				t.Errorf("%s at %s: $ref %q: %v", name, at, ref, err)
				return
			}
			if _, err := resolvePointer(tdoc, pointer); err != nil {
				t.Errorf("%s at %s: $ref %q: %v", name, at, ref, err)
			}
		})
	}
	if refs == 0 {
		t.Fatal("no $ref found")
	}
	for _, name := range schemas.Names() {
		if name != schemas.Defs && !seen[name] {
			t.Errorf("asyncapi.yaml never references %s", name)
		}
	}
}

// TestAsyncAPIOperations checks what the JSON Schema cannot: each operation's messages belong to
// its channel, each channel has an operation, and the addresses are the subjects the code uses.
func TestAsyncAPIOperations(t *testing.T) {
	t.Parallel()
	doc := asyncAPI(t).(map[string]any)
	channels := doc["channels"].(map[string]any)
	operations := doc["operations"].(map[string]any)

	type op struct{ action, address string }
	var got []op
	used := map[string]bool{}
	for name, o := range operations {
		o := o.(map[string]any)
		chRef := o["channel"].(map[string]any)["$ref"].(string)
		chName, ok := strings.CutPrefix(chRef, "#/channels/")
		if !ok {
			t.Errorf("operation %s: channel $ref %q is not a channel", name, chRef)
			continue
		}
		used[chName] = true
		ch := channels[chName].(map[string]any)
		got = append(got, op{o["action"].(string), ch["address"].(string)})
		msgs, _ := o["messages"].([]any)
		if len(msgs) == 0 {
			t.Errorf("operation %s lists no message", name)
		}
		for _, m := range msgs {
			ref := m.(map[string]any)["$ref"].(string)
			if !strings.HasPrefix(ref, chRef+"/messages/") {
				t.Errorf("operation %s: message %q is not one of channel %s", name, ref, chName)
			}
		}
	}
	for name := range channels {
		if !used[name] {
			t.Errorf("channel %s has no operation", name)
		}
	}

	want := []op{
		{"receive", events.TypeTerminated},
		{"receive", events.TypeCancelled},
		{"send", events.SubjectCompleted},
		{"send", events.SubjectFailed},
		{"send", events.SubjectProgress},
		{"send", events.SubjectDeadLetter},
	}
	less := func(a, b op) int { return strings.Compare(a.action+a.address, b.action+b.address) }
	slices.SortFunc(got, less)
	slices.SortFunc(want, less)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(op{})); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}

}

// TestAsyncAPIMessageExamples validates every message example against the message's own payload
// and headers schemas, following references into the schema files.
func TestAsyncAPIMessageExamples(t *testing.T) {
	t.Parallel()
	doc := asyncAPI(t).(map[string]any)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(schemas.URL(schemas.AsyncAPI), doc); err != nil {
		t.Fatal(err)
	}
	for _, name := range schemas.Names() {
		if err := c.AddResource(schemas.URL(name), unmarshal(t, read(t, name))); err != nil {
			t.Fatal(err)
		}
	}

	messages := doc["components"].(map[string]any)["messages"].(map[string]any)
	examples := 0
	for name, m := range messages {
		m := m.(map[string]any)
		exs, _ := m["examples"].([]any)
		for i, ex := range exs {
			ex := ex.(map[string]any)
			for _, part := range []string{"payload", "headers"} {
				v, ok := ex[part]
				if !ok {
					continue
				}
				examples++
				ptr := schemaPointer(t, doc, "/components/messages/"+name+"/"+part)
				s, err := c.Compile(schemas.URL(schemas.AsyncAPI) + "#" + ptr)
				if err != nil {
					t.Errorf("message %s %s: compile %s: %v", name, part, ptr, err)
					continue
				}
				if err := s.Validate(v); err != nil {
					t.Errorf("message %s example %d: %s rejected: %v", name, i, part, err)
				}
			}
		}
	}
	if examples == 0 {
		t.Fatal("no message examples found")
	}
}

// schemaPointer returns the JSON pointer of the schema at ptr, following local references and
// stepping into a Multi Format Schema Object.
func schemaPointer(t *testing.T, doc any, ptr string) string {
	t.Helper()
	for range 10 {
		node, err := resolvePointer(doc, ptr)
		if err != nil {
			t.Fatalf("resolve %s: %v", ptr, err)
		}
		obj, _ := node.(map[string]any)
		if ref, ok := obj["$ref"].(string); ok && len(obj) == 1 && strings.HasPrefix(ref, "#") {
			ptr = strings.TrimPrefix(ref, "#")
			continue
		}
		if _, ok := obj["schemaFormat"]; ok {
			return ptr + "/schema"
		}
		return ptr
	}
	t.Fatalf("reference loop at %s", ptr)
	return ""
}

func walkRefs(v any, at string, visit func(at, ref string)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ref, ok := v[k].(string); ok && k == "$ref" {
				visit(at, ref)
				continue
			}
			walkRefs(v[k], at+"/"+escapeToken(k), visit)
		}
	case []any:
		for i, e := range v {
			walkRefs(e, at+"/"+strconv.Itoa(i), visit)
		}
	}
}

func resolvePointer(doc any, pointer string) (any, error) {
	if pointer == "" {
		return doc, nil
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, errors.New("pointer does not start with /")
	}
	node := doc
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case map[string]any:
			next, ok := n[tok]
			if !ok {
				return nil, errors.New("no member " + tok)
			}
			node = next
		case []any:
			i := -1
			if err := json.Unmarshal([]byte(tok), &i); err != nil || i < 0 || i >= len(n) {
				return nil, errors.New("no element " + tok)
			}
			node = n[i]
		default:
			return nil, errors.New("cannot step into a scalar at " + tok)
		}
	}
	return node, nil
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// asyncAPI returns asyncapi.yaml as JSON values (objects, arrays, json.Number, strings, bools).
func asyncAPI(t *testing.T) any {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(read(t, schemas.AsyncAPI), &doc); err != nil {
		t.Fatalf("parse %s: %v", schemas.AsyncAPI, err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("%s as JSON: %v", schemas.AsyncAPI, err)
	}
	return unmarshal(t, b)
}

func compileByName(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	names := schemas.Names()
	compiled, err := schemas.Compile(names...)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]*jsonschema.Schema, len(names))
	for i, n := range names {
		m[n] = compiled[i]
	}
	return m
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := schemas.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unmarshal(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse JSON: %v", err)
	}
	return v
}
