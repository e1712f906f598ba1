package apispec

import (
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// referenceSchemas are the shapes DocSpace gives its envelopes, written from
// the reference (docspace-api.md §1.2 and §1.3) because the documents either
// leave them open or do not describe them at all. "links" is filled in by
// newEnvelopes.
const referenceSchemas = `{
  "links": {
    "description": "§1.2: [{href: the full request URL, action: the HTTP method}]",
    "type": "array", "minItems": 1,
    "items": {
      "type": "object", "required": ["href", "action"],
      "properties": {"href": {"type": "string", "minLength": 1}, "action": {"type": "string", "minLength": 1}}
    }
  },
  "success": {
    "description": "§1.2: every controller result is wrapped; response is left out when null",
    "type": "object", "required": ["count", "links", "status", "statusCode"],
    "properties": {
      "count": {"type": "integer"},
      "total": {"type": "integer"},
      "status": {"type": "integer", "enum": [0]},
      "statusCode": {"type": "integer"}
    }
  },
  "void": {
    "description": "§1.2, §4: the success envelope of an action without a result: no response",
    "type": "object", "required": ["count", "links", "status", "statusCode"], "additionalProperties": false,
    "properties": {
      "count": {"type": "integer"},
      "total": {"type": "integer"},
      "status": {"type": "integer", "enum": [0]},
      "statusCode": {"type": "integer"}
    }
  },
  "error": {
    "description": "§1.3: CustomExceptionHandler's envelope; written with nulls included",
    "type": "object", "required": ["error", "status", "statusCode"], "additionalProperties": false,
    "properties": {
      "error": {
        "type": "object", "required": ["message", "type", "stack", "hresult"], "additionalProperties": false,
        "properties": {
          "message": {"type": "string"},
          "type": {"type": "string", "nullable": true},
          "stack": {"type": "string", "nullable": true},
          "hresult": {"type": "integer"}
        }
      },
      "status": {"type": "integer", "enum": [1]},
      "statusCode": {"type": "integer"}
    }
  },
  "validation": {
    "description": "§1.3: a validation failure is HTTP 400 with the success envelope, status 1 and an RFC 7807 problem as response",
    "type": "object", "required": ["response", "count", "links", "status", "statusCode"], "additionalProperties": false,
    "properties": {
      "response": {
        "type": "object", "required": ["title", "status", "errors"],
        "properties": {
          "title": {"type": "string"},
          "status": {"type": "integer", "enum": [400]},
          "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
          "type": {"type": "string"},
          "traceId": {"type": "string"},
          "detail": {"type": "string"},
          "instance": {"type": "string"}
        }
      },
      "count": {"type": "integer"},
      "total": {"type": "integer"},
      "status": {"type": "integer", "enum": [1]},
      "statusCode": {"type": "integer", "enum": [400]}
    }
  }
}`

// envelopes holds the reference's envelope schemas.
type envelopes struct {
	success    *openapi3.Schema // every 2xx body, on top of the operation's own schema
	void       *openapi3.Schema // a 2xx body of an action without a result
	error      *openapi3.Schema // the error envelope
	validation *openapi3.Schema // a 400 validation failure
}

func newEnvelopes() (*envelopes, error) {
	var all map[string]*openapi3.Schema
	if err := json.Unmarshal([]byte(referenceSchemas), &all); err != nil {
		return nil, fmt.Errorf("parse reference envelope schemas: %w", err)
	}
	links := &openapi3.SchemaRef{Value: all["links"]}
	for _, name := range []string{"success", "void", "validation"} {
		all[name].Properties["links"] = links
	}
	return &envelopes{
		success:    all["success"],
		void:       all["void"],
		error:      all["error"],
		validation: all["validation"],
	}, nil
}
