package apispec

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// This file holds the mechanics of the document patches; exceptions.go says
// which patches apply and why.

// apiDateTimeOutput is ApiDateTime as DocSpace emits it (reference §1.4):
// portal-local time with seven fractional digits and the offset, or Z. The
// query input form needs no pattern: format date-time already requires Z or
// an offset, as DocSpace's binder does.
const apiDateTimeOutput = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{7}(Z|[+-][0-9]{2}:[0-9]{2})$`

var errNothingPatched = errors.New("nothing to patch")

// patcher applies patches to the freshly loaded documents.
type patcher struct {
	docs map[string]*openapi3.T
	env  *envelopes
}

// component returns a schema of components/schemas of one document.
func (p *patcher) component(doc, name string) (*openapi3.Schema, error) {
	d, ok := p.docs[doc]
	if !ok {
		return nil, fmt.Errorf("no document %s", doc)
	}
	ref := d.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("%s: no schema %s", doc, name)
	}
	return ref.Value, nil
}

// operation returns the operation with an operationId, in whichever document
// declares it.
func (p *patcher) operation(id string) (*openapi3.Operation, error) {
	for _, name := range documentNames() {
		for _, item := range p.docs[name].Paths.Map() {
			for _, op := range item.Operations() {
				if op.OperationID == id {
					return op, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("no operation %s", id)
}

// eachComponent calls fn for every schema of components/schemas of every
// document, in a fixed order.
func (p *patcher) eachComponent(fn func(doc, name string, s *openapi3.Schema) error) error {
	for _, doc := range documentNames() {
		schemas := p.docs[doc].Components.Schemas
		for _, name := range slices.Sorted(maps.Keys(schemas)) {
			if ref := schemas[name]; ref != nil && ref.Value != nil {
				if err := fn(doc, name, ref.Value); err != nil {
					return fmt.Errorf("%s: schema %s: %w", doc, name, err)
				}
			}
		}
	}
	return nil
}

// eachParameter calls fn for every parameter of every operation and path
// item of every document.
func (p *patcher) eachParameter(fn func(param *openapi3.Parameter) error) error {
	for _, doc := range documentNames() {
		for _, item := range p.docs[doc].Paths.Map() {
			lists := []openapi3.Parameters{item.Parameters}
			for _, op := range item.Operations() {
				lists = append(lists, op.Parameters)
			}
			for _, params := range lists {
				for _, ref := range params {
					if ref == nil || ref.Value == nil || ref.Value.Schema == nil || ref.Value.Schema.Value == nil {
						continue
					}
					if err := fn(ref.Value); err != nil {
						return fmt.Errorf("%s: parameter %s: %w", doc, ref.Value.Name, err)
					}
				}
			}
		}
	}
	return nil
}

// requestBodySchemas returns the schema of every media type of every request
// body of a document.
func requestBodySchemas(doc *openapi3.T) []*openapi3.SchemaRef {
	var roots []*openapi3.SchemaRef
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				if mt != nil && mt.Schema != nil {
					roots = append(roots, mt.Schema)
				}
			}
		}
	}
	return roots
}

// subschemas returns the references a schema holds to other schemas.
func subschemas(s *openapi3.Schema) []*openapi3.SchemaRef {
	var refs []*openapi3.SchemaRef
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		refs = append(refs, s.Properties[name])
	}
	refs = append(refs, s.Items, s.Not, s.AdditionalProperties.Schema)
	refs = append(refs, s.AllOf...)
	refs = append(refs, s.AnyOf...)
	refs = append(refs, s.OneOf...)
	return slices.DeleteFunc(refs, func(r *openapi3.SchemaRef) bool { return r == nil || r.Value == nil })
}

// replaceReferences makes every reference to target reachable from roots
// point to with instead, leaving target itself, and other references to it,
// unchanged. It returns how many references it changed.
func replaceReferences(roots []*openapi3.SchemaRef, target, with *openapi3.Schema) int {
	seen := make(map[*openapi3.Schema]bool)
	n := 0
	var visit func(ref *openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref.Value == target {
			ref.Ref, ref.Value = "", with
			n++
			return
		}
		if seen[ref.Value] {
			return
		}
		seen[ref.Value] = true
		for _, child := range subschemas(ref.Value) {
			visit(child)
		}
	}
	for _, root := range roots {
		if root != nil && root.Value != nil {
			visit(root)
		}
	}
	return n
}

// flattenAllOf merges the members of an allOf schema into the schema itself:
// properties and required lists are united, and the result is closed when any
// member was. DocSpace's generator closes every DTO, members included, which
// makes an allOf unsatisfiable: JSON Schema validates each member on its own,
// so a member rejects the properties of the others. Members that are
// components themselves are flattened in place too; members are never
// otherwise changed.
func flattenAllOf(s *openapi3.Schema, done map[*openapi3.Schema]bool) error {
	if len(s.AllOf) == 0 || done[s] {
		return nil
	}
	done[s] = true
	props := make(openapi3.Schemas)
	var required []string
	closed := isClosed(s)
	for _, member := range s.AllOf {
		m := member.Value
		if err := flattenAllOf(m, done); err != nil {
			return err
		}
		if (m.Type != nil && !m.Type.Is(openapi3.TypeObject)) || len(m.OneOf)+len(m.AnyOf) > 0 || m.Not != nil {
			return fmt.Errorf("allOf member %q is not a plain object schema", member.Ref)
		}
		maps.Copy(props, m.Properties)
		required = append(required, m.Required...)
		closed = closed || isClosed(m)
	}
	maps.Copy(props, s.Properties)
	required = append(required, s.Required...)
	slices.Sort(required)
	s.AllOf = nil
	s.Type = &openapi3.Types{openapi3.TypeObject}
	s.Properties = props
	s.Required = slices.Compact(required)
	if closed {
		s.AdditionalProperties = openapi3.AdditionalProperties{Has: new(false)}
	}
	return nil
}

func isClosed(s *openapi3.Schema) bool {
	return s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
}

// enumBranches recognises the documents' enum shape, a oneOf of the names
// (type string) and the numbers (type integer), and returns both branches.
func enumBranches(s *openapi3.Schema) (names, numbers *openapi3.Schema, ok bool) {
	if len(s.OneOf) != 2 {
		return nil, nil, false
	}
	for _, b := range s.OneOf {
		switch v := b.Value; {
		case v == nil || len(v.Enum) == 0:
		case v.Type.Is(openapi3.TypeString):
			names = v
		case v.Type.Is(openapi3.TypeInteger):
			numbers = v
		}
	}
	return names, numbers, names != nil && numbers != nil
}

// enumType is the x-enum-type a document gives an enum: "integer" for enums
// serialised as numbers, "string" for those serialised as names.
func enumType(s *openapi3.Schema) string {
	t, _ := s.Extensions["x-enum-type"].(string)
	return t
}

// routeEnum is an enum as route and query values accept it: the number, or
// the name in any case. It is an anyOf with the numbers first: kin-openapi
// decodes a query or path value with the first branch that parses it, so "2"
// becomes the number 2 and "Terminated" stays a string (a oneOf would find
// that "2" parses as both and reject it in arrays).
func routeEnum(s, names, numbers *openapi3.Schema) *openapi3.Schema {
	alts := make([]string, 0, len(names.Enum))
	for _, n := range names.Enum {
		alts = append(alts, regexp.QuoteMeta(fmt.Sprint(n)))
	}
	return &openapi3.Schema{
		Description: s.Description,
		AnyOf: openapi3.SchemaRefs{
			{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeInteger}, Enum: slices.Clone(numbers.Enum)}},
			{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Pattern: "^(?i:" + strings.Join(alts, "|") + ")$"}},
		},
	}
}

// numbersOnly is an enum as JSON carries it when serialised as a number.
func numbersOnly(s, numbers *openapi3.Schema) openapi3.Schema {
	return openapi3.Schema{
		Extensions:  s.Extensions,
		Description: s.Description,
		Type:        &openapi3.Types{openapi3.TypeInteger},
		Format:      numbers.Format,
		Enum:        slices.Clone(numbers.Enum),
	}
}

// optionalWhenNull removes properties from a schema's required list, after
// checking that the document declares each of them required and nullable.
func (p *patcher) optionalWhenNull(doc, schema string, props ...string) error {
	s, err := p.component(doc, schema)
	if err != nil {
		return err
	}
	for _, prop := range props {
		i := slices.Index(s.Required, prop)
		if i < 0 {
			return fmt.Errorf("%s: %s.%s is not required", doc, schema, prop)
		}
		if ref := s.Properties[prop]; ref == nil || ref.Value == nil || !ref.Value.Nullable {
			return fmt.Errorf("%s: %s.%s is not nullable", doc, schema, prop)
		}
		s.Required = slices.Delete(s.Required, i, i+1)
	}
	return nil
}

// stringSchema returns a string schema with a format and a pattern.
func stringSchema(description, format, pattern string) *openapi3.Schema {
	return &openapi3.Schema{
		Description: description,
		Type:        &openapi3.Types{openapi3.TypeString},
		Format:      format,
		Pattern:     pattern,
	}
}

// explodeQueryObjects replaces each query parameter whose schema is an object
// by one query parameter per property, as ASP.NET binds [FromQuery] objects.
func (p *patcher) explodeQueryObjects() error {
	n := 0
	for _, doc := range documentNames() {
		for path, item := range p.docs[doc].Paths.Map() {
			for method, op := range item.Operations() {
				params := make(openapi3.Parameters, 0, len(op.Parameters))
				for _, ref := range op.Parameters {
					param := ref.Value
					if param == nil || param.In != openapi3.ParameterInQuery || param.Schema == nil || param.Schema.Value == nil ||
						!param.Schema.Value.Type.Is(openapi3.TypeObject) || len(param.Schema.Value.Properties) == 0 {
						params = append(params, ref)
						continue
					}
					obj := param.Schema.Value
					for _, name := range slices.Sorted(maps.Keys(obj.Properties)) {
						if op.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) != nil {
							return fmt.Errorf("%s: %s %s: property %s of query object %s collides with a parameter", doc, method, path, name, param.Name)
						}
						params = append(params, &openapi3.ParameterRef{Value: &openapi3.Parameter{
							Name:        name,
							In:          openapi3.ParameterInQuery,
							Description: obj.Properties[name].Value.Description,
							Required:    slices.Contains(obj.Required, name),
							Schema:      obj.Properties[name],
						}})
					}
					n++
				}
				op.Parameters = params
			}
		}
	}
	if n == 0 {
		return errNothingPatched
	}
	return nil
}

// refs returns references to the named components of a document, e.g. as
// anyOf branches, skipping names the document does not contain.
func (p *patcher) refs(doc string, names ...string) openapi3.SchemaRefs {
	var refs openapi3.SchemaRefs
	for _, name := range names {
		if s, err := p.component(doc, name); err == nil {
			refs = append(refs, &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: s})
		}
	}
	return refs
}

// typeEntryLists makes the array properties named in lists whose items are
// the base schema accept only the derived types listed for that name, so
// that a folder list validates folders, and does so without trying the file
// types first.
func (p *patcher) typeEntryLists(doc, base string, lists map[string][]string) error {
	b, err := p.component(doc, base)
	if err != nil {
		return err
	}
	n := 0
	err = p.eachComponent(func(d, _ string, s *openapi3.Schema) error {
		if d != doc {
			return nil
		}
		for prop, names := range lists {
			ref := s.Properties[prop]
			if ref == nil || ref.Value == nil || ref.Value.Items == nil || ref.Value.Items.Value != b {
				continue
			}
			// The documents list derived types they do not contain
			// (FileDtoString, FolderDtoString).
			anyOf := p.refs(doc, names...)
			if len(anyOf) == 0 {
				return fmt.Errorf("none of %v is in %s", names, doc)
			}
			ref.Value.Items = &openapi3.SchemaRef{Value: &openapi3.Schema{AnyOf: anyOf}}
			n++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return errNothingPatched
	}
	return nil
}

// walkSchemas calls fn once for every schema reachable from roots.
func walkSchemas(roots []*openapi3.SchemaRef, fn func(*openapi3.Schema)) {
	seen := make(map[*openapi3.Schema]bool)
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		seen[ref.Value] = true
		fn(ref.Value)
		for _, child := range subschemas(ref.Value) {
			walk(child)
		}
	}
	for _, root := range roots {
		walk(root)
	}
}

// responseBodySchemas returns the schema of every media type of every
// response of a document.
func responseBodySchemas(doc *openapi3.T) []*openapi3.SchemaRef {
	var roots []*openapi3.SchemaRef
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Responses == nil {
				continue
			}
			for _, resp := range op.Responses.Map() {
				if resp == nil || resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					if mt != nil && mt.Schema != nil {
						roots = append(roots, mt.Schema)
					}
				}
			}
		}
	}
	return roots
}

// optionalNullsInResponses removes from the required list of every schema
// found in responses, and in no request body, the properties it declares
// nullable.
func (p *patcher) optionalNullsInResponses() error {
	for _, doc := range documentNames() {
		inRequests := make(map[*openapi3.Schema]bool)
		walkSchemas(requestBodySchemas(p.docs[doc]), func(s *openapi3.Schema) { inRequests[s] = true })
		walkSchemas(responseBodySchemas(p.docs[doc]), func(s *openapi3.Schema) {
			if inRequests[s] {
				return
			}
			s.Required = slices.DeleteFunc(s.Required, func(name string) bool {
				prop := s.Properties[name]
				return prop != nil && prop.Value != nil && prop.Value.Nullable
			})
		})
	}
	return nil
}
