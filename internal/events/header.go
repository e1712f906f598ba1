package events

import (
	"errors"
	"mime"
	"strings"
	"unicode/utf8"
)

// Header names of the CloudEvents NATS protocol binding and of NATS itself.
const (
	// headerPrefix starts the header of every context attribute in binary mode.
	headerPrefix = "ce-"
	// headerContentType carries the media type: of the data in binary mode, of the event
	// format in structured mode.
	headerContentType = "Content-Type"
	// headerMsgID is JetStream's de-duplication header (nats.MsgIdHdr).
	headerMsgID = "Nats-Msg-Id"
)

// Media types.
const (
	mediaJSON           = "application/json"
	mediaCloudEventJSON = "application/cloudevents+json"
)

// Errors of header value decoding; decodeHeaderValue's caller turns them into a DecodeError.
var (
	errQuoting = errors.New("is not a well-formed quoted-string")
	errPercent = errors.New("has a % not followed by two hexadecimal digits")
	errUTF8    = errors.New("is not valid UTF-8 after percent-decoding")
)

// encodeHeaderValue percent-encodes an attribute value for a binary-mode header, as the
// CloudEvents NATS protocol binding requires (cloudevents/spec, main,
// cloudevents/bindings/nats-protocol-binding.md, section 3.1.3.2 "NATS Header Values"): space
// (U+0020), double-quote (U+0022), percent (U+0025) and every character outside the printable
// ASCII range U+0021-U+007E are encoded, each byte of their UTF-8 form as "%XY" with upper-case
// hexadecimal digits. Nothing else is encoded, and the result is not quoted. s must be valid
// UTF-8; encoding byte by byte then equals encoding character by character.
func encodeHeaderValue(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if mustEncode(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if mustEncode(c) {
			b = append(b, '%', hex[c>>4], hex[c&0xF])
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

func mustEncode(c byte) bool { return c <= ' ' || c >= 0x7F || c == '"' || c == '%' }

// decodeHeaderValue turns a binary-mode header value back into the attribute value, following the
// same section of the binding: optional whitespace around the value is dropped; a value in double
// quotes is first unescaped as an RFC 7230 section 3.2.6 quoted-string (backslash escapes
// included); then one round of percent-decoding runs, accepting lower-case hexadecimal digits and
// unnecessarily encoded characters; a result that is not valid UTF-8 (overlong forms such as
// "%C0%A0" and encoded surrogates included) is refused.
func decodeHeaderValue(v string) (string, error) {
	v = strings.Trim(v, " \t")
	if strings.HasPrefix(v, `"`) {
		u, err := unquote(v)
		if err != nil {
			return "", err
		}
		v = u
	}
	if strings.IndexByte(v, '%') < 0 {
		if !utf8.ValidString(v) {
			return "", errUTF8
		}
		return v, nil
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+2 >= len(v) {
			return "", errPercent
		}
		hi, ok1 := unhex(v[i+1])
		lo, ok2 := unhex(v[i+2])
		if !ok1 || !ok2 {
			return "", errPercent
		}
		b = append(b, hi<<4|lo)
		i += 2
	}
	if !utf8.Valid(b) {
		return "", errUTF8
	}
	return string(b), nil
}

// unquote unescapes an RFC 7230 quoted-string:
//
//	quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//	qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//	quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
func unquote(v string) (string, error) {
	if len(v) < 2 || v[len(v)-1] != '"' {
		return "", errQuoting
	}
	inner := v[1 : len(v)-1]
	var b strings.Builder
	b.Grow(len(inner))
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		switch {
		case c == '\\':
			i++
			if i == len(inner) || !quotedPairChar(inner[i]) {
				return "", errQuoting
			}
			b.WriteByte(inner[i])
		case c == '"':
			return "", errQuoting
		case qdtext(c):
			b.WriteByte(c)
		default:
			return "", errQuoting
		}
	}
	return b.String(), nil
}

func qdtext(c byte) bool {
	return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E) || c >= 0x80
}

func quotedPairChar(c byte) bool {
	return c == '\t' || (c >= ' ' && c <= 0x7E) || c >= 0x80
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// HasControl reports whether s holds a character CloudEvents forbids in attribute values:
// U+0000-U+001F and U+007F-U+009F (CloudEvents 1.0, section "Type System", String).
func HasControl(s string) bool {
	for _, r := range s {
		if r <= 0x1F || (r >= 0x7F && r <= 0x9F) {
			return true
		}
	}
	return false
}

// isJSONMedia reports whether the media type ct (parameters allowed, case ignored) is
// application/json.
func isJSONMedia(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == mediaJSON
}

// isCloudEventJSONMedia reports whether ct is application/cloudevents+json.
func isCloudEventJSONMedia(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == mediaCloudEventJSON
}

// sameMedia reports whether two media types are equal: type, subtype and parameters, with case
// ignored (RFC 2045 ignores it in names, and the one parameter of application/json, charset,
// ignores it in its value too).
func sameMedia(a, b string) bool {
	ma, pa, err1 := mime.ParseMediaType(a)
	mb, pb, err2 := mime.ParseMediaType(b)
	if err1 != nil || err2 != nil || ma != mb || len(pa) != len(pb) {
		return false
	}
	for k, v := range pa {
		if w, ok := pb[k]; !ok || !strings.EqualFold(w, v) {
			return false
		}
	}
	return true
}

// normalMedia returns a media type in normal form: type, subtype and parameter names in lower
// case, parameters sorted, one space after each semicolon. cloudevents/sdk-go compares media types
// case-sensitively, so it only recognises JSON data under this form. ct must parse.
func normalMedia(ct string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	if f := mime.FormatMediaType(mt, params); f != "" {
		return f
	}
	return ct
}

// validTraceParent reports whether s is a W3C Trace Context traceparent this service can carry:
// version 00 exactly ("00-" 32 hex "-" 16 hex "-" 2 hex), or a later version (not ff) that starts
// the same way, with non-zero trace and parent ids and lower-case hexadecimal digits.
func validTraceParent(s string) bool {
	const n = 55
	if len(s) < n || (len(s) > n && (s[:2] == "00" || s[n] != '-')) {
		return false
	}
	if s[2] != '-' || s[35] != '-' || s[52] != '-' {
		return false
	}
	version, traceID, parentID, flags := s[0:2], s[3:35], s[36:52], s[53:55]
	if version == "ff" {
		return false
	}
	for _, part := range []string{version, traceID, parentID, flags} {
		if !lowerHex(part) {
			return false
		}
	}
	return strings.Trim(traceID, "0") != "" && strings.Trim(parentID, "0") != ""
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
