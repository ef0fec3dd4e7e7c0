package charter

import "github.com/charter-service/charter/internal/yamlfile"

// Problem is one thing wrong with a file, with the line it is on (0 if none).
// It is yamlfile's, so that every package reading YAML reports alike.
type Problem = yamlfile.Problem

// Problems is an error listing every problem found, in line order.
type Problems = yamlfile.Problems

// decoder reads one charter or benefit catalogue file, collecting its
// problems.
type decoder struct{ yamlfile.Reader }

func newDecoder(file string) *decoder { return &decoder{yamlfile.Reader{File: file}} }
