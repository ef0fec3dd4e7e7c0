// Package examples ships the example charter, benefits and measures, and an
// example review round with a draft revision, written in the project's own
// words, so that `charter demo` works from the binary alone.
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

// ReviewRound is examples/review-round.yaml: a review round of the
// example charter, with made-up participants.
//
//go:embed review-round.yaml
var ReviewRound []byte

// ReviewResponses is examples/review-responses.csv: the round's survey
// answers, made up.
//
//go:embed review-responses.csv
var ReviewResponses []byte

// ReviewComments is examples/review-comments.csv: the round's coded
// comments, made up.
//
//go:embed review-comments.csv
var ReviewComments []byte

// ReviewDraft is examples/review-draft.yaml: a draft revision of the
// example charter, each change citing the comments behind it.
//
//go:embed review-draft.yaml
var ReviewDraft []byte
