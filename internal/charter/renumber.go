package charter

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// RenumberCatalogue carries a benefit catalogue over to a new charter
// version. A benefit stage names the commitments it makes real by number
// ("2.11"), and numbers can change between versions, so each number is
// read as the commitment it named in the diff's old version and written as
// that commitment's number in the new one; a commitment the new version
// removes is taken off the stage. notes say, in words, every number that
// changed or went. data must be a catalogue ParseCatalogue accepts. Only
// the lists that change are rewritten, in place, so the file keeps its
// comments and layout. A number the old version does not have is left
// alone: ParseCatalogue reports it against the new version.
func RenumberCatalogue(data []byte, d CharterDiff) (out []byte, notes []string, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("benefit catalogue: %w", err)
	}
	byOldID := map[string]CommitmentChange{}
	for _, c := range d.Commitments {
		if c.Old != nil {
			byOldID[c.Old.ID] = c
		}
	}
	var edits []listEdit
	for _, benefit := range seqOf(field(rootOf(&doc), "benefits")) {
		name := field(benefit, "name").Value
		for _, stage := range seqOf(field(benefit, "stages")) {
			list := field(stage, "commitments")
			if list.Kind != yaml.SequenceNode {
				continue
			}
			stageName := field(stage, "name").Value
			e := listEdit{node: list}
			for _, n := range list.Content {
				c, ok := byOldID[n.Value]
				switch {
				case !ok || n.Kind != yaml.ScalarNode:
					e.values = append(e.values, n.Value)
				case c.Removed:
					e.changed = true
					notes = append(notes, fmt.Sprintf("%s, stage %q, no longer names commitment %s: version %s removes it",
						name, stageName, c.Old.ID, d.NewVersion))
				case c.New.ID != c.Old.ID:
					e.changed = true
					notes = append(notes, fmt.Sprintf("%s, stage %q, now names commitment %s, which was %s before version %s",
						name, stageName, c.New.ID, c.Old.ID, d.NewVersion))
					e.values = append(e.values, c.New.ID)
				default:
					e.values = append(e.values, n.Value)
				}
			}
			if e.changed {
				edits = append(edits, e)
			}
		}
	}
	if len(edits) == 0 {
		return data, nil, nil
	}
	out, ok := rewriteLists(data, edits)
	if !ok { // a layout the in-place edit does not know: write the whole file out again
		for _, e := range edits {
			e.node.Style = yaml.FlowStyle
			e.node.Content = nil
			for _, v := range e.values {
				e.node.Content = append(e.node.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: yaml.DoubleQuotedStyle})
			}
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(&doc); err != nil {
			return nil, nil, fmt.Errorf("benefit catalogue: %w", err)
		}
		if err := enc.Close(); err != nil {
			return nil, nil, fmt.Errorf("benefit catalogue: %w", err)
		}
		out = buf.Bytes()
	}
	return out, notes, nil
}

// listEdit is a stage's list of commitment numbers and what it becomes.
type listEdit struct {
	node    *yaml.Node
	values  []string
	changed bool
}

// rewriteLists replaces each list in place, when it is written on one line
// as [a, b] (how the examples write them): the text from "[" to "]"
// becomes the new list. It reports false, changing nothing, if any list is
// written some other way.
func rewriteLists(data []byte, edits []listEdit) ([]byte, bool) {
	lines := strings.SplitAfter(string(data), "\n")
	for _, e := range edits {
		n := e.node
		if n.Style&yaml.FlowStyle == 0 || n.Line < 1 || n.Line > len(lines) {
			return nil, false
		}
		line := lines[n.Line-1]
		start := n.Column - 1
		if start < 0 || start >= len(line) || line[start] != '[' || !isASCII(line[:start]) {
			return nil, false
		}
		end := strings.IndexByte(line[start:], ']')
		if end < 0 || strings.ContainsAny(line[start:start+end], "#\"'") && !plainQuoted(line[start:start+end+1]) {
			return nil, false
		}
		quoted := make([]string, len(e.values))
		for i, v := range e.values {
			quoted[i] = strconv.Quote(v)
		}
		lines[n.Line-1] = line[:start] + "[" + strings.Join(quoted, ", ") + "]" + line[start+end+1:]
	}
	return []byte(strings.Join(lines, "")), true
}

// plainQuoted reports whether a one-line flow list holds only double-quoted
// numbers like "2.10", which the rewrite can safely replace.
func plainQuoted(list string) bool {
	inner := strings.Trim(list, "[]")
	for _, part := range strings.Split(inner, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if len(part) < 2 || part[0] != '"' || part[len(part)-1] != '"' || strings.ContainsAny(part[1:len(part)-1], "\"\\#") {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func rootOf(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0]
	}
	return nil
}

// field returns the value of key in a mapping node, or an empty node.
func field(m *yaml.Node, key string) *yaml.Node {
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
	}
	return &yaml.Node{}
}

func seqOf(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}
