package events

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// idNamespace is the UUID v5 namespace of every id this package derives:
// uuid.NewSHA1(uuid.NameSpaceURL, "https://github.com/docspace-offboarding/docspace-offboarding/events"),
// 313a4cae-7ccb-545e-a397-67cf5c7f4cd1. Changing it changes every result id, and so defeats
// JetStream's de-duplication of results published before and after the change.
func idNamespace() uuid.UUID {
	return uuid.UUID{0x31, 0x3a, 0x4c, 0xae, 0x7c, 0xcb, 0x54, 0x5e, 0xa3, 0x97, 0x67, 0xcf, 0x5c, 0x7f, 0x4c, 0xd1}
}

// ResultID is the deterministic CloudEvents id (and Nats-Msg-Id) of a termination's result: the
// same (source, id) always gives the same id, with no state. It is a UUID v5 over a fixed
// namespace; the parts are length-prefixed, so no two different pairs share a name.
func ResultID(terminationSource, terminationID string) string {
	return deriveID("result", terminationSource, terminationID)
}

// ProgressID is the deterministic id of a progress event: one per termination, step, status and
// attempt. A second progress event with the same four (a later percentage of the same running
// attempt) has the same id, and JetStream drops it within the stream's duplicate window.
func ProgressID(terminationSource, terminationID, step string, status StepStatus, attempt int) string {
	return deriveID("progress", terminationSource, terminationID, step, string(status), strconv.Itoa(attempt))
}

// deriveID returns the UUID v5 of parts, each written as "<length>:<part>,".
func deriveID(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
		b.WriteByte(',')
	}
	return uuid.NewSHA1(idNamespace(), []byte(b.String())).String()
}
