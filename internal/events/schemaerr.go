package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// problem is one schema violation: where, and what is wrong, in words that quote no value from
// the event.
type problem struct {
	field  string
	reason string
}

// schemaError turns a JSON Schema validation error into a *DecodeError naming one field. Fields
// are dot-separated member paths under prefix ("data.userId"); the document itself is prefix, or
// "body" when prefix is empty. Of several problems the first by compareAttributes is reported.
func schemaError(prefix string, err error) *DecodeError {
	root := prefix
	if root == "" {
		root = "body"
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return malformed(root, "does not match its schema")
	}
	problems := collectProblems(ve, prefix, root)
	if len(problems) == 0 {
		return malformed(root, "does not match its schema")
	}
	p := slices.MinFunc(problems, func(a, b problem) int {
		if c := compareAttributes(a.field, b.field); c != 0 {
			return c
		}
		return strings.Compare(a.reason, b.reason)
	})
	return malformed(p.field, p.reason)
}

// collectProblems flattens a validation error tree into problems.
func collectProblems(ve *jsonschema.ValidationError, prefix, root string) []problem {
	field := prefix
	for _, tok := range ve.InstanceLocation {
		field = joinField(field, tok)
	}
	if field == "" {
		field = root
	}
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		missing := slices.Sorted(slices.Values(k.Missing))
		out := make([]problem, 0, len(missing))
		for _, name := range missing {
			out = append(out, problem{joinField(prefix+dotted(ve.InstanceLocation), name), "is required"})
		}
		return out
	case *kind.AnyOf, *kind.OneOf:
		if names, ok := requiredAlternatives(ve); ok {
			return []problem{{joinField(prefix+dotted(ve.InstanceLocation), names[0]), "is required: give one of " + strings.Join(names, ", ")}}
		}
		var reasons []string
		for _, c := range ve.Causes {
			for _, p := range collectProblems(c, prefix, root) {
				if !slices.Contains(reasons, p.reason) {
					reasons = append(reasons, p.reason)
				}
			}
		}
		return []problem{{field, "matches none of the allowed forms (" + strings.Join(reasons, "; ") + ")"}}
	case *kind.PropertyNames:
		return []problem{{joinField(prefix+dotted(ve.InstanceLocation), k.Property), "is not an allowed member name"}}
	}
	if len(ve.Causes) > 0 {
		var out []problem
		for _, c := range ve.Causes {
			out = append(out, collectProblems(c, prefix, root)...)
		}
		return out
	}
	return []problem{{field, reason(ve.ErrorKind)}}
}

// requiredAlternatives reports whether every branch of an anyOf/oneOf failed only for a missing
// member (the "userId or email" rule), and returns those members.
func requiredAlternatives(ve *jsonschema.ValidationError) ([]string, bool) {
	if len(ve.Causes) == 0 {
		return nil, false
	}
	var names []string
	for _, c := range ve.Causes {
		for len(c.Causes) == 1 {
			c = c.Causes[0]
		}
		r, ok := c.ErrorKind.(*kind.Required)
		if !ok || len(r.Missing) == 0 {
			return nil, false
		}
		names = append(names, r.Missing...)
	}
	return names, true
}

// dotted renders an instance location as ".a.b", the continuation of a field path.
func dotted(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	return "." + strings.Join(loc, ".")
}

// reason describes a leaf violation without quoting the offending value.
func reason(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("is %s, want %s", k.Got, strings.Join(k.Want, " or "))
	case *kind.Pattern:
		return "does not match " + k.Want
	case *kind.Format:
		return "is not a valid " + k.Want
	case *kind.MinLength:
		if k.Want == 1 {
			return "must not be empty"
		}
		return fmt.Sprintf("is shorter than %d characters", k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("is longer than %d characters", k.Want)
	case *kind.Minimum:
		return "is less than " + k.Want.RatString()
	case *kind.Maximum:
		return "is greater than " + k.Want.RatString()
	case *kind.ExclusiveMinimum:
		return "is not greater than " + k.Want.RatString()
	case *kind.ExclusiveMaximum:
		return "is not less than " + k.Want.RatString()
	case *kind.Const:
		return "must be " + jsonText(k.Want)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = jsonText(w)
		}
		return "must be one of " + strings.Join(want, ", ")
	case *kind.FalseSchema:
		return "is not allowed"
	case *kind.Not:
		return "has a form that is not allowed"
	case *kind.ContentEncoding:
		return "is not valid " + k.Want
	}
	if kw := k.KeywordPath(); len(kw) > 0 {
		return "does not satisfy " + strings.Join(kw, "/")
	}
	return "does not match its schema"
}

// jsonText renders a schema constant (never an event value) as JSON.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
