package charter

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WordOp says whether a run of text is in both versions, only the old one
// or only the new one.
type WordOp string

const (
	WordSame    WordOp = "same"
	WordRemoved WordOp = "removed" // show with <del>
	WordAdded   WordOp = "added"   // show with <ins>
)

// WordRun is a stretch of text with one WordOp.
type WordRun struct {
	Op   WordOp `json:"op"`
	Text string `json:"text"`
}

// maxDiffCells bounds the work WordDiff does on the part of two texts that
// differs: beyond it (two texts of over 2,000 words each that share no
// beginning or end), it shows the old middle removed and the new one added.
const maxDiffCells = 1 << 22

// WordDiff compares two texts word by word. Spaces and line breaks are read
// as single spaces (YAML folds long text that way), so the runs spell out
// the two texts with their whitespace normalised: the "same" and "removed"
// runs joined give the old text, the "same" and "added" runs the new one.
// Words, spaces and punctuation marks are compared separately, so changing
// a comma shows only the comma. Where two changes are separated only by a
// little text in common (no longer than either change), that text joins
// them, so "the cat" to "a dog" is one removal and one addition, not two of
// each. In each change the removal comes before the addition. Adjacent
// runs never share an op.
func WordDiff(old, new string) []WordRun {
	a, b := tokens(normalText(old)), tokens(normalText(new))

	// Common beginning and end need no table.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []tokenOp
	for _, t := range a[:pre] {
		ops = append(ops, tokenOp{WordSame, t})
	}
	ops = append(ops, lcsOps(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, t := range a[len(a)-suf:] {
		ops = append(ops, tokenOp{WordSame, t})
	}
	return runs(ops)
}

type tokenOp struct {
	op  WordOp
	tok string
}

// lcsOps lists the edits that turn a into b, keeping a longest common
// subsequence of tokens.
func lcsOps(a, b []string) []tokenOp {
	n, m := len(a), len(b)
	var ops []tokenOp
	if n == 0 || m == 0 || n*m > maxDiffCells {
		for _, t := range a {
			ops = append(ops, tokenOp{WordRemoved, t})
		}
		for _, t := range b {
			ops = append(ops, tokenOp{WordAdded, t})
		}
		return ops
	}
	// l[i*(m+1)+j] is the length of the longest common subsequence of a[i:]
	// and b[j:]. It is at most min(n, m), which the cell limit keeps
	// within 2,048, so uint16 is enough.
	w := m + 1
	l := make([]uint16, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i*w+j] = l[(i+1)*w+j+1] + 1
			} else {
				l[i*w+j] = max(l[(i+1)*w+j], l[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			ops = append(ops, tokenOp{WordSame, a[i]})
			i++
			j++
		case l[(i+1)*w+j] >= l[i*w+j+1]:
			ops = append(ops, tokenOp{WordRemoved, a[i]})
			i++
		default:
			ops = append(ops, tokenOp{WordAdded, b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, tokenOp{WordRemoved, a[i]})
	}
	for ; j < m; j++ {
		ops = append(ops, tokenOp{WordAdded, b[j]})
	}
	return ops
}

// segment is either text in both versions or one change (what was removed
// and what was added in its place).
type segment struct {
	same, del, ins string
	change         bool
}

// runs groups token edits into runs, joining changes that only a short
// stretch separates.
func runs(ops []tokenOp) []WordRun {
	var segs []segment
	for _, o := range ops {
		change := o.op != WordSame
		if len(segs) == 0 || segs[len(segs)-1].change != change {
			segs = append(segs, segment{change: change})
		}
		s := &segs[len(segs)-1]
		switch o.op {
		case WordSame:
			s.same += o.tok
		case WordRemoved:
			s.del += o.tok
		case WordAdded:
			s.ins += o.tok
		}
	}
	// A short stretch in common between two changes joins them, so that
	// "as quickly as we can" to "by the dates we give you" reads as one
	// change rather than two either side of "we".
	var merged []segment
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if !s.change && len(merged) > 0 && merged[len(merged)-1].change && i+1 < len(segs) {
			prev, next := &merged[len(merged)-1], segs[i+1]
			if joins(s.same, *prev, next) {
				prev.del += s.same + next.del
				prev.ins += s.same + next.ins
				i++
				continue
			}
		}
		merged = append(merged, s)
	}
	var out []WordRun
	for _, s := range merged {
		if !s.change {
			out = append(out, WordRun{WordSame, s.same})
			continue
		}
		if s.del != "" {
			out = append(out, WordRun{WordRemoved, s.del})
		}
		if s.ins != "" {
			out = append(out, WordRun{WordAdded, s.ins})
		}
	}
	return out
}

// joins reports whether text in common between two changes should join
// them: when it is no longer than the larger side of either change, and
// both changes together remove something and add something (otherwise
// the joined change would show common words as removed and added again).
func joins(same string, prev, next segment) bool {
	if prev.del+next.del == "" || prev.ins+next.ins == "" {
		return false
	}
	return len(same) <= max(len(prev.del), len(prev.ins)) && len(same) <= max(len(next.del), len(next.ins))
}

// tokens splits text into words (letters, digits and the apostrophes and
// hyphens inside them), single spaces and single other characters.
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		if isWordRune(r) {
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					j += size2
					continue
				}
				// An apostrophe or hyphen between letters stays in the word:
				// "don't", "re-determination".
				if r2 == '\'' || r2 == '\u2019' || r2 == '-' {
					if r3, _ := utf8.DecodeRuneInString(s[j+size2:]); j+size2 < len(s) && isWordRune(r3) {
						j += size2
						continue
					}
				}
				break
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// normalText reads runs of white space as one space and trims the ends.
func normalText(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

func itoa(n int) string { return strconv.Itoa(n) }
