package events

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/binding/format"
	"github.com/cloudevents/sdk-go/v2/binding/spec"
	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/nats-io/nats.go"
)

// message is a binding.Message over a NATS message's header and body, so cloudevents/sdk-go's
// binding.ToEvent reads it. Attributes of a binary-mode message are decoded from their headers
// when the message is made; reading it cannot fail on encoding afterwards.
type message struct {
	mode   Mode
	header nats.Header
	body   []byte
	// attrs holds the ce- headers of a binary-mode message: attribute name (lower-case, without
	// the prefix) to decoded value, the data's media type from Content-Type when there is no
	// ce-datacontenttype.
	attrs map[string]string
	// names lists attrs' keys in order, so reading is deterministic.
	names []string
}

var (
	_ binding.Message               = (*message)(nil)
	_ binding.MessageMetadataReader = (*message)(nil)
)

// newMessage classifies a NATS message and decodes its ce- headers. It returns a *DecodeError for
// a header that cannot be decoded, for contradicting headers, and for a structured message whose
// content type is not a JSON event.
func newMessage(h nats.Header, body []byte) (*message, error) {
	m := &message{header: h, body: body}
	var contentTypes []string
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vs := h[k]
		if len(vs) == 0 {
			continue
		}
		if strings.EqualFold(k, headerContentType) {
			contentTypes = append(contentTypes, vs...)
			continue
		}
		if len(k) <= len(headerPrefix) || !strings.EqualFold(k[:len(headerPrefix)], headerPrefix) {
			continue
		}
		name := strings.ToLower(k[len(headerPrefix):])
		for _, raw := range vs {
			v, err := decodeHeaderValue(raw)
			if err != nil {
				return nil, m.fail(name, "header "+err.Error())
			}
			if m.attrs == nil {
				m.attrs = make(map[string]string, len(h))
			}
			if old, ok := m.attrs[name]; ok {
				if old != v {
					return nil, m.fail(name, "header is given more than once with different values")
				}
				continue
			}
			m.attrs[name] = v
			m.names = append(m.names, name)
		}
	}
	contentType := ""
	for _, ct := range contentTypes {
		if contentType != "" && !sameMedia(contentType, ct) {
			return nil, m.fail("content-type", "header Content-Type is given more than once with different values")
		}
		contentType = ct
	}

	if _, ok := m.attrs["specversion"]; !ok {
		m.mode = Structured
		if len(m.attrs) > 0 {
			return nil, m.fail("specversion", "binary-mode ce- headers without a ce-specversion header")
		}
		if contentType != "" && !isCloudEventJSONMedia(contentType) {
			return nil, m.fail("content-type", "a structured event must have content type "+mediaCloudEventJSON+" or none")
		}
		return m, nil
	}

	m.mode = Binary
	if contentType != "" {
		dct, ok := m.attrs["datacontenttype"]
		switch {
		case !ok:
			m.attrs["datacontenttype"] = contentType
			m.names = append(m.names, "datacontenttype")
		case !sameMedia(dct, contentType):
			return nil, m.fail("datacontenttype", "headers Content-Type and ce-datacontenttype disagree")
		}
	}
	slices.Sort(m.names)
	return m, nil
}

// fail returns a DecodeError for field, with the event's id and source when they can be read.
func (m *message) fail(field, reason string) *DecodeError {
	e := malformed(field, reason)
	e.ID, e.Source = identify(m.header, m.body)
	return e
}

// ReadEncoding returns binding.EncodingBinary or binding.EncodingStructured.
func (m *message) ReadEncoding() binding.Encoding {
	if m.mode == Binary {
		return binding.EncodingBinary
	}
	return binding.EncodingStructured
}

// ReadStructured hands the body, a JSON event, to w.
func (m *message) ReadStructured(ctx context.Context, w binding.StructuredWriter) error {
	if m.mode != Structured {
		return binding.ErrNotStructured
	}
	return w.SetStructuredEvent(ctx, format.JSON, bytes.NewReader(m.body))
}

// ReadBinary hands the decoded attributes and the body to w. An attribute w refuses (a time that
// is not RFC 3339, a source that is not a URI reference) comes back as a *DecodeError naming it.
func (m *message) ReadBinary(_ context.Context, w binding.BinaryWriter) error {
	if m.mode != Binary {
		return binding.ErrNotBinary
	}
	for _, name := range m.names {
		v := m.attrs[name]
		var err error
		if a := spec.V1.Attribute(name); a != nil {
			err = w.SetAttribute(a, v)
		} else {
			err = w.SetExtension(name, v)
		}
		if err != nil {
			return m.fail(name, "is not a valid "+name+" attribute value")
		}
	}
	if len(m.body) > 0 {
		if err := w.SetData(bytes.NewReader(m.body)); err != nil {
			return m.fail("data", "cannot be read")
		}
	}
	return nil
}

// GetAttribute returns the attribute of kind k and its value, as binding.MessageMetadataReader
// requires of a binary-mode message.
func (m *message) GetAttribute(k spec.Kind) (spec.Attribute, any) {
	a := spec.V1.AttributeFromKind(k)
	if a == nil {
		return nil, nil
	}
	if v, ok := m.attrs[a.Name()]; ok {
		return a, v
	}
	return a, nil
}

// GetExtension returns the value of the extension attribute name, or nil.
func (m *message) GetExtension(name string) any {
	if v, ok := m.attrs[strings.ToLower(name)]; ok {
		return v
	}
	return nil
}

// Finish does nothing: acknowledging the NATS message is the caller's business.
func (m *message) Finish(error) error { return nil }

// msgWriter builds a *nats.Msg from an event: binding.StructuredWriter for structured mode,
// binding.BinaryWriter for binary mode.
type msgWriter struct {
	msg *nats.Msg
}

var (
	_ binding.StructuredWriter = (*msgWriter)(nil)
	_ binding.BinaryWriter     = (*msgWriter)(nil)
)

// SetStructuredEvent sets the body to the encoded event and Content-Type to its format.
func (w *msgWriter) SetStructuredEvent(_ context.Context, f format.Format, event io.Reader) error {
	body, err := io.ReadAll(event)
	if err != nil {
		return err
	}
	w.msg.Data = body
	w.msg.Header.Set(headerContentType, f.MediaType())
	return nil
}

// Start does nothing; the message exists already.
func (w *msgWriter) Start(context.Context) error { return nil }

// End does nothing.
func (w *msgWriter) End(context.Context) error { return nil }

// SetAttribute writes attribute a as a percent-encoded ce- header; datacontenttype also goes to
// Content-Type, where the binding puts it.
func (w *msgWriter) SetAttribute(a spec.Attribute, value any) error {
	if value == nil {
		return nil
	}
	s, err := types.Format(value)
	if err != nil {
		return err
	}
	w.msg.Header.Set(headerPrefix+a.Name(), encodeHeaderValue(s))
	if a.Kind() == spec.DataContentType {
		w.msg.Header.Set(headerContentType, s)
	}
	return nil
}

// SetExtension writes an extension attribute as a percent-encoded ce- header.
func (w *msgWriter) SetExtension(name string, value any) error {
	if value == nil {
		return nil
	}
	s, err := types.Format(value)
	if err != nil {
		return err
	}
	w.msg.Header.Set(headerPrefix+strings.ToLower(name), encodeHeaderValue(s))
	return nil
}

// SetData sets the body to the event data.
func (w *msgWriter) SetData(data io.Reader) error {
	body, err := io.ReadAll(data)
	if err != nil {
		return err
	}
	w.msg.Data = body
	return nil
}
