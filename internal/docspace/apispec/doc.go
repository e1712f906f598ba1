// Package apispec owns the official OpenAPI 3.0.4 documents of ONLYOFFICE
// DocSpace 3.7 (people_2.0.json, files_2.0.json and api_2.0.json, embedded
// unchanged under openapi/) and validates HTTP traffic against them.
//
// The project tests its DocSpace client against its own DocSpace simulator. If
// both shared a misunderstanding, the tests would pass and production would
// fail, so every request the client sends and every response the simulator
// returns is checked against the official documents: [Validator] finds the
// operation of a request, validates the request and the response, and
// [Validator.Middleware] does both around an [http.Handler]. [Check] wires the
// middleware into a test and fails it, at cleanup, listing every violation.
//
// Where the documents and the reference on DocSpace's real behaviour disagree,
// the reference wins. Every such difference is an entry of one table,
// exceptions.go, listed by [Exceptions] with its reason.
package apispec
