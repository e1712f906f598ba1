package apispec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Part is the side of an HTTP exchange that a violation or an exception
// concerns.
type Part uint8

// The parts of an exchange. An exception may concern both.
const (
	Request Part = 1 << iota
	Response
)

// String names the part: "request", "response" or "request+response".
func (p Part) String() string {
	var parts []string
	if p&Request != 0 {
		parts = append(parts, "request")
	}
	if p&Response != 0 {
		parts = append(parts, "response")
	}
	if len(parts) == 0 {
		return fmt.Sprintf("Part(%d)", uint8(p))
	}
	return strings.Join(parts, "+")
}

// Exception is one place where validation follows the reference on
// DocSpace's behaviour (docspace-api.md, which cites the server source)
// instead of the official OpenAPI documents, or repairs a defect of the
// documents. All of them are in one table, which [Exceptions] lists.
type Exception struct {
	// Name identifies the exception, e.g. "api-date-time".
	Name string
	// Operation is the operationId the exception applies to, or "*" for all.
	Operation string
	// Part says whether requests, responses or both are concerned.
	Part Part
	// Status lists the response statuses concerned, if the exception is
	// about some statuses only.
	Status string
	// Pointer locates what differs: a document and a JSON pointer into it,
	// or a part of the HTTP message.
	Pointer string
	// Reason says what DocSpace does instead, citing the reference section.
	Reason string
}

// String renders the exception on one line: name, scope, pointer and reason.
func (e Exception) String() string {
	s := fmt.Sprintf("%s (%s, %s", e.Name, e.Operation, e.Part)
	if e.Status != "" {
		s += ", " + e.Status
	}
	return s + ", " + e.Pointer + "): " + e.Reason
}

// exception is a table entry with its mechanics: a document patch applied at
// load, or a rule run on each request or response, or both.
type exception struct {
	Exception
	// patch changes the loaded documents, once per process.
	patch func(*patcher) error
	// request checks, and may rewrite, each request of the operation.
	request func(*requestInput) []Violation
	// ownsBody is set when request replaces the document's body validation.
	ownsBody bool
	// statuses are the response statuses response applies to; nil means all.
	statuses []int
	// response checks each response of the operation with one of statuses.
	response func(*responseInput) []Violation
	// replaces is set when response replaces the document's validation.
	replaces bool
}

func (e *exception) appliesTo(operationID string) bool {
	return e.Operation == "*" || e.Operation == operationID
}

func (e *exception) appliesToStatus(status int) bool {
	return e.statuses == nil || slices.Contains(e.statuses, status)
}

// Exceptions returns every exception, in the order they apply.
func Exceptions() []Exception {
	table := exceptionTable()
	out := make([]Exception, len(table))
	for i, e := range table {
		out[i] = e.Exception
	}
	return out
}

// Reference sections cited below are those of docspace-api.md. Patches run in
// table order, which matters: allOf members are merged before anything reads
// properties; ApiDateTime parameters become strings before object parameters
// are split into their properties; the parameter and request-body patches
// take copies of the shared enum and date components before the later
// entries change those components in place.
func exceptionTable() []*exception {
	return []*exception{
		{
			Exception: Exception{
				Name: "all-of", Operation: "*", Part: Request | Response,
				Pointer: "#/components/schemas/* with allOf, e.g. files_2.0.json#/components/schemas/FolderDtoInteger",
				Reason: "document defect: the generator closes every DTO (additionalProperties: false), allOf members included, " +
					"so no object can satisfy an allOf (each member rejects the others' properties, e.g. firstName of EmployeeFullDto " +
					"against EmployeeDto). DocSpace serialises the derived class whole (§1.2, §3.1, §8.1): the members are merged " +
					"into one closed object",
			},
			patch: func(p *patcher) error {
				done := make(map[*openapi3.Schema]bool)
				return p.eachComponent(func(_, _ string, s *openapi3.Schema) error { return flattenAllOf(s, done) })
			},
		},
		{
			Exception: Exception{
				Name: "derived-entries", Operation: "*", Part: Response,
				Pointer: "files_2.0.json#/components/schemas/FileEntryBaseDto (and every schema with x-derived-types)",
				Reason: "document defect: lists of entries (folder contents files[]/folders[] §8.1, file operation files/folders §8.3) " +
					"are typed with the closed base FileEntryBaseDto, which has no id; DocSpace sends the derived FileDto or FolderDto. " +
					"A reference to a base accepts any of its x-derived-types that the document contains (it lists FileDtoString, " +
					"which it lacks); a list named files accepts the file types, one named folders the folder types",
			},
			patch: func(p *patcher) error {
				err := p.eachComponent(func(doc, _ string, s *openapi3.Schema) error {
					derived, ok := s.Extensions["x-derived-types"].([]any)
					if !ok {
						return nil
					}
					names := make([]string, 0, len(derived))
					for _, d := range derived {
						name, _ := d.(string)
						names = append(names, name)
					}
					// Some bases name derived types the document does not
					// contain (EditorToolCallParametersDto).
					if anyOf := p.refs(doc, names...); len(anyOf) > 0 {
						*s = openapi3.Schema{Extensions: s.Extensions, Description: s.Description, AnyOf: anyOf}
					}
					return nil
				})
				if err != nil {
					return err
				}
				return p.typeEntryLists(FilesDocument, "FileEntryBaseDto", map[string][]string{
					"files":   {"FileDtoInteger", "FileDtoString"},
					"folders": {"FolderDtoInteger", "FolderDtoString"},
				})
			},
		},
		{
			Exception: Exception{
				Name: "api-date-time-input", Operation: "*", Part: Request,
				Pointer: "parameters and request bodies referring to #/components/schemas/ApiDateTime, e.g. api_2.0.json getAuditEventsByFilter from, to",
				Reason: "ApiDateTime is declared an object but travels as a string (§1.4): in a query, ISO 8601 with Z or an offset " +
					"(without either the binder fails: 400, the example's mistake §14 #18); in a JSON body anything DateTimeOffset parses",
			},
			patch: func(p *patcher) error {
				for _, doc := range documentNames() {
					adt, err := p.component(doc, "ApiDateTime")
					if err != nil {
						return err
					}
					err = p.eachParameter(func(param *openapi3.Parameter) error {
						if param.Schema.Value == adt {
							param.Schema = &openapi3.SchemaRef{Value: stringSchema(adt.Description, "date-time", "")}
						}
						return nil
					})
					if err != nil {
						return err
					}
					body := &openapi3.Schema{Description: adt.Description, Type: &openapi3.Types{openapi3.TypeString}, MinLength: 1}
					replaceReferences(requestBodySchemas(p.docs[doc]), adt, body)
				}
				return nil
			},
		},
		{
			Exception: Exception{
				Name: "query-objects", Operation: "*", Part: Request,
				Pointer: "query parameters with an object schema, e.g. files_2.0.json checkMoveOrCopyBatchItems inDto (BatchRequestDto)",
				Reason: "ASP.NET binds a [FromQuery] object from one query key per property, arrays as repeated keys (§8.5: " +
					"folderIds or folderIds[] repeated, fileIds, destFolderId, conflictResolveType, deleteAfter); the document's " +
					"form-style object would need indexed keys (folderIds[0]=). Each property becomes a query parameter",
			},
			patch: func(p *patcher) error { return p.explodeQueryObjects() },
		},
		{
			Exception: Exception{
				Name: "query-arrays", Operation: "*", Part: Request,
				Pointer: "query parameters declared style deepObject with an array schema, e.g. files_2.0.json getRoomsFolder type",
				Reason: "document defect: OpenAPI defines deepObject for objects only, so no array value validates; ASP.NET binds " +
					"an array from repeated keys, as §8.5 shows for folderIds. They are validated as style form, exploded",
			},
			patch: func(p *patcher) error {
				return p.eachParameter(func(param *openapi3.Parameter) error {
					if param.Style == openapi3.SerializationDeepObject && param.Schema.Value.Type.Is(openapi3.TypeArray) {
						param.Style, param.Explode = openapi3.SerializationForm, new(true)
					}
					return nil
				})
			},
		},
		{
			Exception: Exception{
				Name: "query-names", Operation: "*", Part: Request,
				Pointer: "query parameter names, e.g. people_2.0.json necessaryReassign UserId, Type",
				Reason: "ASP.NET binds query parameters ignoring the case of their names (§5.1 \"query names ignore case\"; " +
					"§1.1); a name is matched to the declared one without regard to case before validation",
			},
			request: normalizeQueryNames,
		},
		{
			Exception: Exception{
				Name: "route-enums", Operation: "*", Part: Request,
				Pointer: "path and query parameters whose schema is an enum, e.g. people_2.0.json updateUserStatus {status}",
				Reason:  "route and query enums accept the name in any case or the number (§1.1, §3.2 \"Terminated or 2\"); the documents allow the exact-case name",
			},
			patch: func(p *patcher) error {
				return p.eachParameter(func(param *openapi3.Parameter) error {
					s := param.Schema.Value
					if s.Type.Is(openapi3.TypeArray) && s.Items != nil && s.Items.Value != nil {
						if names, numbers, ok := enumBranches(s.Items.Value); ok {
							array := *s
							array.Items = &openapi3.SchemaRef{Value: routeEnum(s.Items.Value, names, numbers)}
							param.Schema = &openapi3.SchemaRef{Value: &array}
						}
						return nil
					}
					if names, numbers, ok := enumBranches(s); ok {
						param.Schema = &openapi3.SchemaRef{Value: routeEnum(s, names, numbers)}
					}
					return nil
				})
			},
		},
		{
			Exception: Exception{
				Name: "file-share-names", Operation: "*", Part: Request,
				Pointer: "request bodies referring to files_2.0.json#/components/schemas/FileShare, e.g. setRoomSecurity invitations[].access",
				Reason: "FileShareConverter reads a FileShare in a JSON body as the number or the name (§1.1), unlike other " +
					"integer enums (see json-enum-numbers); an unknown name is a violation although DocSpace reads it as None (0), removing access",
			},
			patch: func(p *patcher) error {
				fs, err := p.component(FilesDocument, "FileShare")
				if err != nil {
					return err
				}
				input := *fs
				if replaceReferences(requestBodySchemas(p.docs[FilesDocument]), fs, &input) == 0 {
					return errNothingPatched
				}
				return nil
			},
		},
		{
			Exception: Exception{
				Name: "json-enum-numbers", Operation: "*", Part: Request | Response,
				Pointer: "#/components/schemas/* enums with x-enum-type integer, e.g. files_2.0.json#/components/schemas/RoomType",
				Reason: "in JSON bodies DocSpace accepts only numbers for enums, except EmployeeType and FileConflictResolveType " +
					"(x-enum-type string) and FileShare (§1.1), and it emits enums as numbers (§1.2); the documents allow the names too",
			},
			patch: func(p *patcher) error {
				return p.eachComponent(func(_, _ string, s *openapi3.Schema) error {
					if _, numbers, ok := enumBranches(s); ok && enumType(s) == "integer" {
						*s = numbersOnly(s, numbers)
					}
					return nil
				})
			},
		},
		{
			Exception: Exception{
				Name: "api-date-time", Operation: "*", Part: Response,
				Pointer: "#/components/schemas/ApiDateTime (all three documents)",
				Reason: "declared an object {utcTime, timeZoneOffset}; DocSpace emits a string, portal-local time with seven " +
					"fractional digits and the offset, e.g. 2026-03-02T14:05:09.0000000+02:00, or Z (§1.4)",
			},
			patch: func(p *patcher) error {
				for _, doc := range documentNames() {
					adt, err := p.component(doc, "ApiDateTime")
					if err != nil {
						return err
					}
					*adt = *stringSchema("ApiDateTime as DocSpace emits it (reference §1.4).", "date-time", apiDateTimeOutput)
				}
				return nil
			},
		},
		omittedNull("GroupDto", []string{"name"}, PeopleDocument),
		omittedNull("GroupSummaryDto", []string{"name"}, PeopleDocument, FilesDocument),
		omittedNull("TaskProgressResponseDto", []string{"id"}, PeopleDocument),
		omittedNull("FileOperationDto", []string{"error", "id", "processed"}, FilesDocument),
		omittedNull("FolderContentDtoInteger", []string{"pathParts"}, FilesDocument),
		omittedNull("Logo", []string{"large", "medium", "original", "small"}, FilesDocument),
		omittedNull("LogoCover", []string{"data", "id"}, FilesDocument),
		omittedNull("ApiKeyResponseDto", []string{"key", "name", "permissions"}, PeopleDocument),
		{
			Exception: Exception{
				Name: "omitted-null", Operation: "*", Part: Response,
				Pointer: "every other required and nullable property of a schema found in responses and in no request body " +
					"(about a hundred, in operations the project does not use)",
				Reason: "the rule of the omitted-null-* entries above for the rest of the documents: success bodies omit null " +
					"properties (§1.2)",
			},
			patch: func(p *patcher) error { return p.optionalNullsInResponses() },
		},
		{
			Exception: Exception{
				Name: "insert-file-form", Operation: "insertFile", Part: Request,
				Pointer: "files_2.0.json#/paths/~1api~12.0~1files~1{folderId}~1insert/post/requestBody",
				Reason: "the document names the form fields InsertFile.File, InsertFile.Title, ...; the binder reads the bare names " +
					"title, createNewIfExist, keepConvertStatus and takes the first file part whatever its name, the title coming " +
					"from title, not the file name; the raw bytes with ?title= are accepted too (§10.1)",
			},
			request:  checkInsertFileBody,
			ownsBody: true,
		},
		{
			Exception: Exception{
				Name: "archive-room-body", Operation: "archiveRoom", Part: Request,
				Pointer: "files_2.0.json#/paths/~1api~12.0~1files~1rooms~1{id}~1archive/put/requestBody/required",
				Reason:  "the body is declared optional, but an empty body is a 400 validation error: send at least {} (§9.4)",
			},
			patch: func(p *patcher) error {
				op, err := p.operation("archiveRoom")
				if err != nil {
					return err
				}
				if op.RequestBody == nil || op.RequestBody.Value == nil {
					return errNothingPatched
				}
				body := *op.RequestBody.Value
				body.Required = true
				op.RequestBody = &openapi3.RequestBodyRef{Value: &body}
				return nil
			},
		},
		{
			Exception: Exception{
				Name: "void-result", Operation: "logOutAllActiveConnectionsForUser", Part: Response, Status: "200",
				Pointer: "api_2.0.json#/paths/~1api~12.0~1security~1activeconnections~1logoutall~1{userId}/put/responses/200/content",
				Reason:  "declared without content; DocSpace sends the success envelope without response (§4, §1.2)",
			},
			patch: func(p *patcher) error {
				op, err := p.operation("logOutAllActiveConnectionsForUser")
				if err != nil {
					return err
				}
				ok := op.Responses.Status(200)
				if ok == nil || ok.Value == nil || len(ok.Value.Content) > 0 {
					return errNothingPatched
				}
				resp := *ok.Value
				resp.Content = openapi3.NewContentWithJSONSchema(p.env.void)
				op.Responses.Set("200", &openapi3.ResponseRef{Value: &resp})
				return nil
			},
		},
		{
			Exception: Exception{
				Name: "success-envelope", Operation: "*", Part: Response, Status: "2xx",
				Pointer: "#/components/schemas/*Wrapper",
				Reason: "the wrappers leave every field optional; DocSpace always sends count, links [{href: the request URL, " +
					"action: the method}], status 0 and statusCode equal to the HTTP status (§1.2)",
			},
			statuses: successStatuses(),
			response: checkSuccessEnvelope,
		},
		{
			Exception: Exception{
				Name: "bad-request", Operation: "*", Part: Response, Status: "400",
				Pointer: "responses/400 (declared without content, or not at all)",
				Reason: "an ArgumentException gives the error envelope {error{message,type,stack,hresult},status:1,statusCode}; " +
					"a validation failure gives the success envelope with status 1, statusCode 400 and an RFC 7807 problem as response (§1.3)",
			},
			statuses: []int{400},
			response: checkBadRequest,
			replaces: true,
		},
		{
			Exception: Exception{
				Name: "empty-or-error", Operation: "*", Part: Response, Status: "401 402 403 404 415",
				Pointer: "responses/401, 402, 403, 404, 415 (declared without content, or not at all)",
				Reason: "an empty body (failed authentication §2.1, missing API-key scope §2.2, unpaid portal, unknown route or " +
					"non-GUID segment §1.1, wrong content type) or the error envelope of an exception (§1.3)",
			},
			statuses: []int{401, 402, 403, 404, 415},
			response: checkEmptyOrError,
			replaces: true,
		},
		{
			Exception: Exception{
				Name: "server-error", Operation: "*", Part: Response, Status: "500",
				Pointer: "responses/500 (not declared)",
				Reason:  "any other exception is a 500 with the error envelope (§1.3); the documents declare no 500",
			},
			statuses: []int{500},
			response: checkServerError,
			replaces: true,
		},
		{
			Exception: Exception{
				Name: "rate-limited", Operation: "*", Part: Response, Status: "429",
				Pointer: "responses/429 (not declared by setRoomSecurity)",
				Reason: "the rate limiter answers 429 with an empty body; Retry-After and X-RateLimit-Limit/Remaining/Reset are " +
					"integers when present, and a concurrency rejection has none (§12)",
			},
			statuses: []int{429},
			response: checkRateLimited,
			replaces: true,
		},
		{
			Exception: Exception{
				Name: "rate-limit-headers", Operation: "*", Part: Response, Status: "all but 429",
				Pointer: "responses/200/headers/X-RateLimit-*",
				Reason: "the documents show X-RateLimit-* on every 200, but the server sets them only on 429 (§12): they are " +
					"not required, and their presence on another status is a violation, so no client comes to depend on them",
			},
			response: checkNoRateLimitHeaders,
		},
		{
			Exception: Exception{
				Name: "proxy-errors", Operation: "*", Part: Response, Status: "502 503 504",
				Pointer: "responses/502, 503 (declared without content); 504 (not declared)",
				Reason: "the documents say a reverse proxy answers 502 and 503, perhaps in HTML, so these are not DocSpace's " +
					"envelopes of §1.3: any body is accepted. The proxy's 504 Gateway Timeout is the same kind of answer",
			},
			statuses: []int{502, 503, 504},
			response: func(*responseInput) []Violation { return nil },
			replaces: true,
		},
		{
			Exception: Exception{
				Name: "unknown-route", Operation: "*", Part: Request | Response, Status: "404 405",
				Pointer: "requests matching no operation",
				Reason: "an unknown route, like the example's PUT people/{id}/status (§14 #1), is a request violation, and " +
					"DocSpace answers it 404 with an empty body (§1.1), or 405 when the path exists with other methods",
			},
		},
	}
}

// omittedNull is the exception for required properties that the documents
// also declare nullable: DocSpace leaves null properties out of success
// bodies. The schema is patched in each document listed. The entries list
// the schemas in the responses of the operations the project and its
// simulator use (§2.3: the key is returned only on creation); the generic
// omitted-null entry covers the rest.
func omittedNull(schema string, props []string, docs ...string) *exception {
	return &exception{
		Exception: Exception{
			Name: "omitted-null-" + schema, Operation: "*", Part: Response,
			Pointer: fmt.Sprintf("%s#/components/schemas/%s/required: %s", strings.Join(docs, ", "), schema, strings.Join(props, ", ")),
			Reason:  "required but nullable; success bodies omit null properties (§1.2), so these may be absent",
		},
		patch: func(p *patcher) error {
			for _, doc := range docs {
				if err := p.optionalWhenNull(doc, schema, props...); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// successStatuses are the statuses the success envelope applies to.
func successStatuses() []int {
	var codes []int
	for c := 200; c < 300; c++ {
		codes = append(codes, c)
	}
	return codes
}
