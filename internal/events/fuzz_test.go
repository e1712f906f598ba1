package events_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

// The seed corpora are in testdata/fuzz/<Name>: valid events of both types and tricky inputs
// (percent-encoding, quoted strings, overlong UTF-8, huge exponents, data_base64, case variants).

// FuzzDecodeStructured feeds structured-mode messages: a Content-Type header (none when empty)
// and a body.
func FuzzDecodeStructured(f *testing.F) {
	d := newDecoder(f)
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		var h nats.Header
		if contentType != "" {
			h = nats.Header{"Content-Type": {contentType}}
		}
		checkDecode(t, d, h, body)
	})
}

// FuzzDecodeBinary feeds binary-mode messages: the values of the ce- headers (absent when empty),
// a Content-Type, one more header of any name, and a body.
func FuzzDecodeBinary(f *testing.F) {
	d := newDecoder(f)
	f.Fuzz(func(t *testing.T, specversion, id, source, typ, subject, tm, datacontenttype, contentType, traceparent, extraName, extraValue string, body []byte) {
		h := nats.Header{}
		for _, kv := range [][2]string{
			{"ce-specversion", specversion}, {"ce-id", id}, {"ce-source", source}, {"ce-type", typ},
			{"ce-subject", subject}, {"ce-time", tm}, {"ce-datacontenttype", datacontenttype},
			{"Content-Type", contentType}, {"ce-traceparent", traceparent}, {extraName, extraValue},
		} {
			if kv[0] != "" && kv[1] != "" {
				h[kv[0]] = append(h[kv[0]], kv[1])
			}
		}
		checkDecode(t, d, h, body)
	})
}

// checkDecode decodes a message and checks the properties that hold for any input: the decoder
// does not panic; a refusal is a *DecodeError naming a field; an accepted event, encoded again in
// the mode it came in (and in the other one), decodes to the same Meta and data.
func checkDecode(t *testing.T, d *events.Decoder, h nats.Header, body []byte) {
	in, err := d.Decode(h, body)
	if err != nil {
		var de *events.DecodeError
		if !errors.As(err, &de) || !errors.Is(err, events.ErrMalformed) {
			t.Fatalf("error %v is not a *DecodeError matching ErrMalformed", err)
		}
		if de.Field == "" || de.Reason == "" || !strings.Contains(err.Error(), de.Field) {
			t.Fatalf("error %#v does not name its field", de)
		}
		return
	}
	if (in.Termination == nil) == (in.Cancellation == nil) {
		t.Fatalf("decoded %+v: want exactly one of Termination and Cancellation", in)
	}

	// Both modes carry the same event: re-encoded in either, it decodes to the same Meta (but
	// for Mode) and data.
	for _, mode := range []events.Mode{in.Mode, 1 - in.Mode} {
		var msg *nats.Msg
		if in.Termination != nil {
			msg, err = events.Encoder{}.Termination(in.Meta, *in.Termination, mode)
		} else {
			msg, err = events.Encoder{}.Cancellation(in.Meta, *in.Cancellation, mode)
		}
		if err != nil {
			t.Fatalf("encode accepted event %+v in %v mode: %v", in, mode, err)
		}
		again, err := d.Decode(msg.Header, msg.Data)
		if err != nil {
			t.Fatalf("decode event re-encoded in %v mode: %v\nheader: %v\nbody: %s", mode, err, msg.Header, msg.Data)
		}
		want := *in
		want.Mode = mode
		if diff := cmp.Diff(&want, again); diff != "" {
			t.Fatalf("event re-encoded in %v mode decodes differently (-first +second):\n%s", mode, diff)
		}
	}
}
