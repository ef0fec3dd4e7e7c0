// Package yamlfile reads YAML files by walking yaml.v3 nodes rather than
// decoding into structs, so that every problem names its file and line,
// unknown fields are reported (with a suggestion when one looks like a typing
// mistake) instead of dropped, and one pass finds every problem in a file.
//
// It is domain code and does no I/O: callers hand a Reader the bytes of one
// file, read its fields with the Reader's methods, and get back Problems.
// Aliases and merge keys are refused, and a file holds one YAML document.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Reader collects the problems found in one file. The zero value with File
// set is ready to use.
type Reader struct {
	File  string // the file's name, given in every problem
	probs Problems
}

// Errorf records a problem on a line (0 for the whole file).
func (r *Reader) Errorf(line int, format string, args ...any) {
	r.probs = append(r.probs, Problem{File: r.File, Line: line, Message: fmt.Sprintf(format, args...)})
}

// Problems returns the problems found so far, sorted by line, keeping the
// order of those on one line.
func (r *Reader) Problems() Problems {
	r.probs.Sort()
	return r.probs
}

// Err returns the problems found as an error (Problems, sorted), or nil when
// there are none.
func (r *Reader) Err() error {
	if len(r.probs) == 0 {
		return nil
	}
	return r.Problems()
}

// yamlErrLine matches the line number yaml.v3 puts in its syntax errors.
var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Document parses data as a single YAML document whose top level is a
// mapping, and returns that mapping. On failure it records a problem and
// returns nil.
func (r *Reader) Document(data []byte) *yaml.Node {
	if len(bytes.TrimSpace(data)) == 0 {
		r.Errorf(0, "the file is empty")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			r.Errorf(0, "the file has no content, only comments")
		} else {
			r.yamlError(data, err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := safeDecode(dec, &extra); {
	case err == nil:
		r.Errorf(extra.Line, "a second YAML document starts here: put each document in its own file")
		return nil
	case !errors.Is(err, io.EOF):
		r.yamlError(data, err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		r.Errorf(0, "the file has no content")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		r.Errorf(root.Line, "the file must be a set of fields (\"name: value\" lines), not %s", describe(root))
		return nil
	}
	return root
}

// safeDecode decodes the next document, turning a panic inside the YAML
// library into an error so that a malformed file can never crash the caller.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: the file could not be read as YAML (%v)", p)
		}
	}()
	return dec.Decode(n)
}

// parserProblems are the syntax errors that yaml.v3 (v3.0.1) raises in its
// parser rather than its scanner. For these it reports a line counted from 0
// instead of 1, so yamlError adds one. The line is that of the structure being
// read when the error was found (a list or mapping that is not closed, say),
// which may be above the line the mistake is on.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlError records a YAML syntax error, using its line number if it has one.
func (r *Reader) yamlError(data []byte, err error) {
	msg := err.Error()
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserProblems[m[2]] {
			line++
		}
		// An error found at the end of the file is reported on the line
		// after the last one; point at the last line instead.
		lines := bytes.Count(data, []byte("\n"))
		if !bytes.HasSuffix(data, []byte("\n")) {
			lines++
		}
		line = min(line, lines)
		r.Errorf(line, "YAML syntax: %s", m[2])
		return
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	r.Errorf(locate(data, msg), "YAML syntax: %s", msg)
}

// readerProblems are the errors yaml.v3 raises, without a line, when the
// bytes are not text it accepts.
var readerProblems = map[string]bool{
	"invalid leading UTF-8 octet":        true,
	"incomplete UTF-8 octet sequence":    true,
	"invalid trailing UTF-8 octet":       true,
	"invalid length of a UTF-8 sequence": true,
	"invalid Unicode character":          true,
	"control characters are not allowed": true,
}

// locate finds the line of an error that yaml.v3 reports without one, or
// returns 0.
func locate(data []byte, msg string) int {
	if readerProblems[msg] && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if (r == utf8.RuneError && size <= 1) || !AllowedRune(r) {
				return 1 + bytes.Count(data[:i], []byte("\n"))
			}
			i += size
		}
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		at := regexp.MustCompile(`\*` + regexp.QuoteMeta(m[1]) + `(?:[\s,\]}]|$)`).FindIndex(data)
		if at != nil {
			return 1 + bytes.Count(data[:at[0]], []byte("\n"))
		}
	}
	return 0
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// AllowedRune reports whether YAML allows r in a document: writers escape
// the others.
func AllowedRune(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r == 0x85:
	case r >= 0x20 && r <= 0x7E:
	case r >= 0xA0 && r <= 0xD7FF:
	case r >= 0xE000 && r <= 0xFFFD:
	case r >= 0x10000 && r <= 0x10FFFF:
	default:
		return false
	}
	return true
}
