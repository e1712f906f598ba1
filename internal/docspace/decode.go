package docspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// enum is a DocSpace enumeration: an int with DocSpace's names.
type enum interface {
	~int
	String() string
}

// unmarshalEnum decodes a number, a numeric string or a name (any case) of a
// value in lo..hi into dst. null leaves dst unchanged. Unknown numbers are
// kept: DocSpace may add values.
func unmarshalEnum[T enum](dst *T, b []byte, lo, hi int) error {
	s, isName, err := enumToken(b)
	switch {
	case err != nil:
		return enumError(dst, b, err)
	case s == "":
		return nil
	case !isName:
		return setEnumNumber(dst, b, s)
	}
	for i := lo; i <= hi; i++ {
		if strings.EqualFold(T(i).String(), s) {
			*dst = T(i)
			return nil
		}
	}
	return enumError(dst, b, nil)
}

// unmarshalEnumOf is unmarshalEnum for sparse enumerations: names are
// matched against the listed values only.
func unmarshalEnumOf[T enum](dst *T, b []byte, known ...T) error {
	s, isName, err := enumToken(b)
	switch {
	case err != nil:
		return enumError(dst, b, err)
	case s == "":
		return nil
	case !isName:
		return setEnumNumber(dst, b, s)
	}
	for _, k := range known {
		if strings.EqualFold(k.String(), s) {
			*dst = k
			return nil
		}
	}
	return enumError(dst, b, nil)
}

func setEnumNumber[T enum](dst *T, b []byte, s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return enumError(dst, b, err)
	}
	*dst = T(n)
	return nil
}

// enumToken returns the text of a JSON enum value and whether it is a name
// (not digits). It returns "" for null and for an empty string.
func enumToken(b []byte) (tok string, isName bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return "", false, fmt.Errorf("empty value")
	case bytes.Equal(b, []byte("null")):
		return "", false, nil
	case b[0] != '"':
		return string(b), false, nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false, err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false, nil
	}
	_, numErr := strconv.Atoi(s)
	return s, numErr != nil, nil
}

func enumError[T enum](dst *T, b []byte, err error) error {
	if err != nil {
		return fmt.Errorf("docspace: decode %T from %.40s: %w", *dst, b, err)
	}
	return fmt.Errorf("docspace: decode %T: unknown value %.40s", *dst, b)
}

// looseInt is an integer that DocSpace may send as a number or as a string
// of digits ("processed":"3", third-party style ids). null and "" are 0.
type looseInt int

// UnmarshalJSON accepts 12, "12", null and "".
func (n *looseInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("docspace: decode integer: %w", err)
		}
		b = []byte(strings.TrimSpace(s))
	}
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("docspace: decode integer from %.40q: %w", b, err)
	}
	*n = looseInt(v)
	return nil
}

// looseString is a string that DocSpace may send as a number ("12" or 12).
type looseString string

// UnmarshalJSON accepts a string, a number, or null.
func (s *looseString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("docspace: decode string: %w", err)
		}
		*s = looseString(v)
	default:
		var num json.Number
		if err := json.Unmarshal(b, &num); err != nil {
			return fmt.Errorf("docspace: decode string from %.40s: %w", b, err)
		}
		*s = looseString(num)
	}
	return nil
}

// looseStrings converts a decoded []looseString.
func looseStrings(in []looseString) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}
