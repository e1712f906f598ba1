package events_test

import (
	"testing"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

func benchmarkDecode(b *testing.B, mode events.Mode) {
	d := newDecoder(b)
	h, body := validTermination().render(b, mode)
	if _, err := d.Decode(h, body); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Decode(h, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeStructured(b *testing.B) { benchmarkDecode(b, events.Structured) }

func BenchmarkDecodeBinary(b *testing.B) { benchmarkDecode(b, events.Binary) }

func BenchmarkEncodeResult(b *testing.B) {
	for _, mode := range bothModes {
		b.Run(mode.String(), func(b *testing.B) {
			enc := events.Encoder{Mode: mode}
			r := sampleResult(events.StatusCompleted)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := enc.Result(r, traceID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
