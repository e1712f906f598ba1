package docspacetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// call is one request as a handler sees it. Handlers run with Server.mu held and may read and change
// c.s.st directly.
type call struct {
	s      *Server
	r      *http.Request
	route  *route
	params map[string]string
	caller *User // the key's creator, live state
	key    *Key
	now    time.Time
	body   []byte
	// traceID goes into validation problems.
	traceID string
}

// param returns a path parameter by its (case-insensitive) name; typed GUID parameters are lower case.
func (c *call) param(name string) string { return c.params[strings.ToLower(name)] }

// queryValue returns the first value of a query parameter, matching its name case-insensitively as
// ASP.NET model binding does.
func queryValue(r *http.Request, name string) string {
	v, _ := lookupQuery(r.URL.Query(), name)
	return v
}

// lookupQuery finds a query or form field by name, ignoring case, as ASP.NET's value providers do.
func lookupQuery(q url.Values, name string) (string, bool) {
	for k, vs := range q {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0], true
		}
	}
	return "", false
}

// query returns a query parameter and whether it is present.
func (c *call) query(name string) (string, bool) { return lookupQuery(c.r.URL.Query(), name) }

// queryInt reads an integer query parameter; a malformed value is a validation failure.
func (c *call) queryInt(name string) (int, bool, error) {
	v, ok := c.query(name)
	if !ok || v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, false, errValidation(name, fmt.Sprintf("The value '%s' is not valid.", v))
	}
	return n, true, nil
}

// queryGUID reads a GUID query parameter; a malformed value is a validation failure.
func (c *call) queryGUID(name string) (string, bool, error) {
	v, ok := c.query(name)
	if !ok || v == "" {
		return "", false, nil
	}
	g, ok := parseGUID(strings.TrimSpace(v))
	if !ok {
		return "", false, errValidation(name, fmt.Sprintf("The value '%s' is not valid.", v))
	}
	return g, true, nil
}

// queryEnum reads an enum query parameter given by name (any case) or number (reference §1.1).
func (c *call) queryEnum(name string, names map[string]int, valid func(int) bool) (int, bool, error) {
	v, ok := c.query(name)
	if !ok || v == "" {
		return 0, false, nil
	}
	n, ok := parseEnum(v, names, valid)
	if !ok {
		return 0, false, errValidation(name, fmt.Sprintf("The value '%s' is not valid.", v))
	}
	return n, true, nil
}

// queryDate reads an ApiDateTime query parameter (reference §1.4).
func (c *call) queryDate(name string) (time.Time, bool, error) {
	v, ok := c.query(name)
	if !ok || v == "" {
		return time.Time{}, false, nil
	}
	t, err := parseQueryDate(v)
	if err != nil {
		return time.Time{}, false, errValidation(name, fmt.Sprintf("The value '%s' is not valid for %s.", v, name))
	}
	return t, true, nil
}

// paging reads count and startIndex. count defaults to 100; when strict (audit, login history, folder
// contents) a value outside 1..100 is a validation failure, otherwise it is capped at 100 (reference §1.5).
func (c *call) paging(strict bool) (count, start int, err error) {
	count, ok, err := c.queryInt("count")
	if err != nil {
		return 0, 0, err
	}
	if !ok {
		count = 100
	}
	if strict && (count < 1 || count > 100) {
		return 0, 0, errValidation("Count", "The field Count must be between 1 and 100.")
	}
	count = min(max(count, 0), 100)
	start, _, err = c.queryInt("startIndex")
	if err != nil {
		return 0, 0, err
	}
	return count, max(start, 0), nil
}

// isJSONContentType reports whether ct is a media type ASP.NET's JSON input formatter reads.
func isJSONContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || mt == "text/json" ||
		strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// bind decodes the JSON body into dst with DocSpace's rules (reference §1.1): property names in any case,
// unknown properties ignored, numbers accepted as strings where the field type allows it (jsonInt, ...).
// A body that is not JSON gives 415 with an empty body; a missing body gives 400 validation when required
// and leaves dst untouched otherwise; malformed JSON gives a 400 validation failure. param is the action's
// parameter name used in validation messages (e.g. "inDto").
func (c *call) bind(dst any, param string, required bool) error {
	empty := len(bytes.TrimSpace(c.body)) == 0
	if !isJSONContentType(c.r.Header.Get("Content-Type")) {
		if empty && !required {
			return nil
		}
		return errBare(http.StatusUnsupportedMediaType)
	}
	if empty {
		if required {
			return errBodyRequired(param)
		}
		return nil
	}
	if err := json.Unmarshal(c.body, dst); err != nil {
		return bindError(err, param)
	}
	return nil
}

// bindError turns a decoding error into System.Text.Json-style validation messages.
func bindError(err error, param string) error {
	errs := map[string][]string{param: {fmt.Sprintf("The %s field is required.", param)}}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var fe *fieldError
	switch {
	case errors.As(err, &fe):
		errs["$."+fe.field] = []string{fe.msg}
	case errors.As(err, &te):
		path := "$"
		if te.Field != "" {
			path += "." + te.Field
		}
		errs[path] = []string{fmt.Sprintf("The JSON value could not be converted to %s. Path: %s | LineNumber: 0 | BytePositionInLine: %d.", dotnetType(te.Type.String()), path, te.Offset)}
	case errors.As(err, &se):
		errs["$"] = []string{fmt.Sprintf("'%s' is invalid JSON. Path: $ | LineNumber: 0 | BytePositionInLine: %d.", "input", se.Offset)}
	default:
		errs["$"] = []string{"The JSON value could not be converted. " + err.Error()}
	}
	return &validationError{errors: errs}
}

func dotnetType(goType string) string {
	switch strings.TrimPrefix(goType, "*") {
	case "bool":
		return "System.Boolean"
	case "docspacetest.jsonGUID":
		return "System.Guid"
	case "docspacetest.EmployeeType":
		return "ASC.Core.Users.EmployeeType"
	case "string":
		return "System.String"
	case "int", "docspacetest.jsonInt":
		return "System.Int32"
	}
	return "the target type"
}

// fieldError is a decoding failure of one field with a .NET-style message; custom UnmarshalJSON methods
// return it so that bind reports the field as DocSpace does.
type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

// jsonInt is an integer that may arrive as a JSON number or a numeric string.
type jsonInt int

// UnmarshalJSON accepts 5 and "5".
func (n *jsonInt) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		return nil
	}
	if unq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(unq)
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "string", Type: jsonIntType(), Offset: 0}
	}
	*n = jsonInt(v)
	return nil
}

// jsonGUID is a GUID-typed field: a string in GUID form; anything else fails binding.
type jsonGUID string

// UnmarshalJSON accepts a JSON string holding a GUID.
func (g *jsonGUID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, ok := parseGUID(s)
	if !ok {
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: jsonGUIDType()}
	}
	*g = jsonGUID(v)
	return nil
}

// jsonFileShare is a FileShare in a body: a number, a numeric string or a name (any case). An unknown name
// becomes None (0), as DocSpace's FileShareConverter does (reference §1.1).
type jsonFileShare FileShare

// UnmarshalJSON implements the rules above.
func (a *jsonFileShare) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*a = jsonFileShare(n)
		return nil
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		*a = jsonFileShare(n)
		return nil
	}
	if n, ok := lowerNameMap(fileShareNames())[strings.ToLower(strings.TrimSpace(s))]; ok {
		*a = jsonFileShare(n)
		return nil
	}
	*a = jsonFileShare(ShareNone)
	return nil
}

// jsonEmployeeType is an EmployeeType in a body: a name (any case) or a number.
type jsonEmployeeType EmployeeType

// UnmarshalJSON accepts "RoomAdmin" and 1.
func (t *jsonEmployeeType) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*t = jsonEmployeeType(n)
		return nil
	}
	n, ok := parseEnum(s, lowerNameMap(employeeTypeNames()), validEmployeeType)
	if !ok {
		return &json.UnmarshalTypeError{Value: "string", Type: jsonEmployeeTypeType()}
	}
	*t = jsonEmployeeType(n)
	return nil
}

// jsonIntOrString is an id that may be a JSON number or string (folder and file ids in batch requests).
type jsonIntOrString string

// UnmarshalJSON keeps the id's text.
func (v *jsonIntOrString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = jsonIntOrString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*v = jsonIntOrString(n.String())
	return nil
}

// Int returns the id as a number, or false when it is not one.
func (v jsonIntOrString) Int() (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(string(v)))
	return n, err == nil
}

func jsonIntType() reflect.Type          { return reflect.TypeFor[int]() }
func jsonGUIDType() reflect.Type         { return reflect.TypeFor[jsonGUID]() }
func jsonEmployeeTypeType() reflect.Type { return reflect.TypeFor[EmployeeType]() }
