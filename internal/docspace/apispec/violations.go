package apispec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// This file turns kin-openapi's errors into Violations.

// maxValueInMessage bounds the rendering of an offending value.
const maxValueInMessage = 60

// maxNearestReasons bounds how many reasons explain an unmatched oneOf/anyOf.
const maxNearestReasons = 3

// violationsOf converts the error of a kin-openapi validation.
func violationsOf(part Part, err error) []Violation {
	var out []Violation
	for _, e := range leaves(err) {
		var reqErr *openapi3filter.RequestError
		var respErr *openapi3filter.ResponseError
		switch {
		case errors.As(e, &reqErr):
			out = append(out, requestErrorViolations(reqErr)...)
		case errors.As(e, &respErr):
			out = append(out, responseErrorViolations(respErr)...)
		default:
			out = append(out, Violation{Where: part.String(), Message: e.Error()})
		}
	}
	for i := range out {
		out[i].Part = part
	}
	return out
}

func requestErrorViolations(e *openapi3filter.RequestError) []Violation {
	// Apart from parameters, kin-openapi reports only on the body here:
	// security is not validated.
	where := "body"
	if e.Parameter != nil {
		where = e.Parameter.In + " " + e.Parameter.Name
	}
	if hasSchemaError(e.Err) {
		return schemaViolations(where, e.Err)
	}
	return []Violation{{Where: where, Message: joinReason(e.Reason, e.Err)}}
}

func responseErrorViolations(e *openapi3filter.ResponseError) []Violation {
	if hasSchemaError(e.Err) {
		return schemaViolations("body", e.Err)
	}
	return []Violation{{Where: "response", Message: joinReason(e.Reason, e.Err)}}
}

func joinReason(reason string, err error) string {
	switch {
	case err == nil:
		return reason
	case reason == "":
		return err.Error()
	default:
		return reason + ": " + err.Error()
	}
}

// leaves flattens nested openapi3.MultiErrors.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	var me openapi3.MultiError
	if errors.As(err, &me) && len(me) > 0 {
		// errors.As finds the first MultiError in the chain: only descend
		// when err is that MultiError, so that wrapping errors keep their
		// context.
		if direct, ok := err.(openapi3.MultiError); ok {
			var out []error
			for _, e := range direct {
				out = append(out, leaves(e)...)
			}
			return out
		}
	}
	return []error{err}
}

func hasSchemaError(err error) bool {
	var se *openapi3.SchemaError
	return errors.As(err, &se)
}

// schemaViolations converts schema errors found at where.
func schemaViolations(where string, err error) []Violation {
	var out []Violation
	for _, leaf := range leaves(err) {
		var se *openapi3.SchemaError
		if !errors.As(leaf, &se) {
			out = append(out, Violation{Where: where, Message: leaf.Error()})
			continue
		}
		out = append(out, Violation{Where: where + pointer(se.JSONPointer()), Message: schemaMessage(se)})
	}
	return out
}

// pointer renders a JSON pointer, with a leading space, or "" for the root.
func pointer(path []string) string {
	if len(path) == 0 {
		return ""
	}
	escaped := make([]string, len(path))
	for i, p := range path {
		escaped[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1")
	}
	return " /" + strings.Join(escaped, "/")
}

func schemaMessage(se *openapi3.SchemaError) string {
	if (se.SchemaField == "oneOf" && len(se.Schema.OneOf) > 0 && !errors.Is(se.Origin, openapi3.ErrOneOfConflict)) ||
		(se.SchemaField == "anyOf" && len(se.Schema.AnyOf) > 0) {
		return nearestBranch(se)
	}
	msg := se.Reason
	if se.SchemaField == "format" && se.Schema != nil {
		// kin-openapi's reason repeats the format's whole regular expression.
		msg = fmt.Sprintf("not a valid %q", se.Schema.Format)
	}
	if msg == "" {
		msg = fmt.Sprintf("does not satisfy %q", se.SchemaField)
	}
	if v, ok := scalar(se.Value); ok && se.SchemaField != "required" {
		msg += " (got " + v + ")"
	}
	return msg
}

// nearestBranch explains a value that matches none of the schemas of a oneOf
// or anyOf by the reasons of the branch it misses least, preferring branches
// of the value's own type.
func nearestBranch(se *openapi3.SchemaError) string {
	branches := se.Schema.AnyOf
	if se.SchemaField == "oneOf" {
		branches = se.Schema.OneOf
	}
	var nearest []string
	var nearestName string
	nearestFits := false
	for i, b := range branches {
		fits := permits(b.Value, se.Value)
		if nearest != nil && nearestFits && !fits {
			continue
		}
		err := b.Value.VisitJSON(se.Value, multiErrorSchemaOptions...)
		var reasons []string
		for _, v := range schemaViolations("", err) {
			if where := strings.TrimSpace(v.Where); where != "" {
				reasons = append(reasons, where+": "+v.Message)
			} else {
				reasons = append(reasons, v.Message)
			}
		}
		if nearest == nil || (fits && !nearestFits) || len(reasons) < len(nearest) {
			nearest, nearestName, nearestFits = reasons, branchName(b, i), fits
		}
	}
	if len(nearest) > maxNearestReasons {
		nearest = append(nearest[:maxNearestReasons], fmt.Sprintf("and %d more", len(nearest)-maxNearestReasons))
	}
	return fmt.Sprintf("matches none of the %s schemas; nearest is %s: %s", se.SchemaField, nearestName, strings.Join(nearest, "; "))
}

// permits reports whether a schema's type admits a JSON value's type.
func permits(s *openapi3.Schema, v any) bool {
	if s.Type == nil || len(*s.Type) == 0 {
		return true
	}
	switch v := v.(type) {
	case float64:
		return s.Type.Permits(openapi3.TypeNumber) || (s.Type.Permits(openapi3.TypeInteger) && v == float64(int64(v)))
	case int, int64:
		return s.Type.Permits(openapi3.TypeInteger) || s.Type.Permits(openapi3.TypeNumber)
	default:
		return s.Type.Permits(jsonKind(v))
	}
}

func branchName(b *openapi3.SchemaRef, i int) string {
	if b.Ref != "" {
		return b.Ref[strings.LastIndex(b.Ref, "/")+1:]
	}
	if b.Value.Type != nil && len(*b.Value.Type) == 1 {
		return fmt.Sprintf("#%d (%s)", i, (*b.Value.Type)[0])
	}
	return fmt.Sprintf("#%d", i)
}

// scalar renders a scalar JSON value for a message, truncated.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "null", true
	case string:
		if len(v) > maxValueInMessage {
			v = v[:maxValueInMessage] + "…"
		}
		return fmt.Sprintf("%q", v), true
	case bool, float64, int, int64:
		return fmt.Sprint(v), true
	default:
		return "", false
	}
}
