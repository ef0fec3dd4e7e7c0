// Package examples ships the example charter and benefits, written in the
// project's own words, so that `charter demo` works from the binary alone.
package examples

import _ "embed"

// Charter is examples/charter.yaml.
//
//go:embed charter.yaml
var Charter []byte

// Benefits is examples/benefits.yaml.
//
//go:embed benefits.yaml
var Benefits []byte

// Measures is examples/measures.yaml.
//
//go:embed measures.yaml
var Measures []byte
