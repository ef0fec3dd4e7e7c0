package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every API route. A test checks it against the
// routes actually served, both ways.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDocument)
}

// OpenAPIDocument returns the OpenAPI document the server serves.
func OpenAPIDocument() []byte { return openAPIDocument }
