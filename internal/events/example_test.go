package events_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/docspace-offboarding/docspace-offboarding/internal/events"
)

func ExampleDecoder_Decode() {
	d, err := events.NewDecoder()
	if err != nil {
		fmt.Println(err)
		return
	}

	// A binary-mode event: attributes in percent-encoded ce- headers, data in the body.
	h := nats.Header{}
	h.Set("ce-specversion", "1.0")
	h.Set("ce-id", "7d8c1f4e-2b3a-4c5d-8e9f-0a1b2c3d4e5f")
	h.Set("ce-source", "/hris/workday")
	h.Set("ce-type", events.TypeTerminated)
	h.Set("ce-subject", "Jos%C3%A9%20Garc%C3%ADa")
	h.Set("Content-Type", "application/json")
	body := []byte(`{"userId":"3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b","workspaceFolderId":"539564","dryRun":true}`)

	in, err := d.Decode(h, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Mode, in.Type, in.Source, in.ID)
	fmt.Println(in.Subject, in.Termination.UserID, in.Termination.WorkspaceFolderID, in.Termination.DryRun)

	// A structured-mode event whose userId is not a GUID.
	_, err = d.Decode(nil, []byte(`{"specversion":"1.0","id":"42","source":"/hris/workday",
		"type":"employee.terminated","data":{"userId":"jane.doe"}}`))
	var de *events.DecodeError
	if errors.As(err, &de) {
		fmt.Println(errors.Is(err, events.ErrMalformed), de.Field, de.ID)
		fmt.Println(err)
	}
	// Output:
	// binary employee.terminated /hris/workday 7d8c1f4e-2b3a-4c5d-8e9f-0a1b2c3d4e5f
	// José García 3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b 539564 true
	// true data.userId 42
	// malformed event "42" from "/hris/workday": data.userId: does not match ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
}

func ExampleEncoder_Result() {
	at := time.Date(2026, 3, 2, 17, 0, 1, 0, time.UTC)
	r := events.Result{
		TerminationID:     "42",
		TerminationSource: "/hris/workday",
		Status:            events.StatusFailed,
		StartedAt:         at,
		FinishedAt:        at,
		Error: &events.Error{
			Code:    "invalid_event",
			Message: "data.userId: does not match the GUID pattern",
		},
	}
	msg, err := events.Encoder{}.Result(r, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(msg.Subject)
	fmt.Println(msg.Header.Get("Nats-Msg-Id") == events.ResultID("/hris/workday", "42"))
	fmt.Println(msg.Header.Get("Content-Type"))
	fmt.Println(string(msg.Data))
	// Output:
	// offboarding.failed
	// true
	// application/cloudevents+json
	// {"specversion":"1.0","id":"b2bb4487-36f5-5857-aa72-f256fee50bd6","source":"/docspace-offboarding","type":"offboarding.failed","datacontenttype":"application/json","time":"2026-03-02T17:00:01Z","data":{"terminationId":"42","terminationSource":"/hris/workday","userId":"","status":"failed","startedAt":"2026-03-02T17:00:01Z","finishedAt":"2026-03-02T17:00:01Z","steps":[],"error":{"code":"invalid_event","message":"data.userId: does not match the GUID pattern","retryable":false}},"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
}
