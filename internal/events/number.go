package events

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// errNotIntegral says a JSON number does not denote an integer in the int64 range.
var errNotIntegral = errors.New("not an integer")

// Bounds on the JSON numbers this package reads. Exact arithmetic (math/big, which JSON Schema
// validation also uses) costs time that grows with a number's digits and with its exponent, so a
// small event like {"a":1e999999} could otherwise cost tens of milliseconds per number.
const (
	maxNumberLength   = 64
	maxNumberExponent = 400
)

// numberInRange reports whether the JSON number text s is short and has a small exponent.
func numberInRange(s string) bool {
	if len(s) > maxNumberLength {
		return false
	}
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return true
	}
	exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
	return err == nil && exp >= -maxNumberExponent && exp <= maxNumberExponent
}

// outOfRangeNumber returns the location (dot-separated, under prefix) of the first JSON number in
// v that numberInRange refuses, walking objects in key order. v holds what
// jsonschema.UnmarshalJSON returns: json.Number for numbers. The location is only built when a
// number is found, so deep nesting costs linear time.
func outOfRangeNumber(v any, prefix string) (string, bool) {
	var path []string
	if !findNumber(v, &path) {
		return "", false
	}
	loc := prefix
	for _, p := range path {
		loc = joinField(loc, p)
	}
	return loc, true
}

// findNumber reports whether v holds an out-of-range number, leaving its path in *path.
func findNumber(v any, path *[]string) bool {
	switch v := v.(type) {
	case json.Number:
		return !numberInRange(string(v))
	case map[string]any:
		for _, k := range sortedKeys(v) {
			*path = append(*path, k)
			if findNumber(v[k], path) {
				return true
			}
			*path = (*path)[:len(*path)-1]
		}
	case []any:
		for i, e := range v {
			*path = append(*path, strconv.Itoa(i))
			if findNumber(e, path) {
				return true
			}
			*path = (*path)[:len(*path)-1]
		}
	}
	return false
}

// joinField appends a member name to a dot-separated field path.
func joinField(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
