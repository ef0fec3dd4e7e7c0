package disclosure

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// oneBreakdown is a table of one breakdown in one period.
func oneBreakdown(id string, total int64, values map[string]int64) Table {
	t := Table{ID: id, Counts: map[Cell]int64{Total("Y"): total}}
	for v, n := range values {
		t.Counts[Cell{"area", v, "Y"}] = n
	}
	return t
}

func TestCountsAreRoundedAndSmallOnesSuppressed(t *testing.T) {
	tb := oneBreakdown("t", 1262, map[string]int64{"a": 0, "b": 12, "c": 13, "d": 1237})
	small := oneBreakdown("small", 1264, map[string]int64{"a": 0, "b": 12, "c": 13, "d": 1237, "e": 2})
	r, err := Protect([]Table{tb, small}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		value string
		want  string
		state State
	}{
		{"a", "0", Shown},       // nobody: published as 0
		{"b", "10", Shown},      // rounded down
		{"c", "15", Shown},      // rounded up
		{"d", "1,235", Shown},   // thousands
		{"nowhere", "0", Shown}, // a value the table never saw counts nobody
	}
	for _, c := range cases {
		got := r.Count("t", Cell{"area", c.value, "Y"})
		if got.String() != c.want || got.State() != c.state {
			t.Errorf("area %s: %q (%v), want %q (%v)", c.value, got, got.State(), c.want, c.state)
		}
	}
	// Fewer than 5 is suppressed; and since 2 would be 1,264 - (0 + 12 +
	// 13 + 1,237), another cell is suppressed too: the smallest, 12.
	want := []Cell{{"area", "b", "Y"}, {"area", "e", "Y"}}
	if got := r.Suppressed("small"); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("suppressed %v, want %v", got, want)
	}
	if got := r.Count("small", Cell{"area", "e", "Y"}); got.String() != "[c]" {
		t.Errorf("2 is published as %q", got)
	}
	if got := r.Count("missing", Total("Y")); got.State() != NoData || got.String() != "" {
		t.Errorf("a table that does not exist: %v", got)
	}
	for _, n := range []int64{0, 3, 7, 8, 12, 13, 1237} {
		if got, want := Round(n), map[int64]int64{0: 0, 3: 5, 7: 5, 8: 10, 12: 10, 13: 15, 1237: 1235}[n]; got != want {
			t.Errorf("Round(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestRatiosAndStatistics(t *testing.T) {
	den := oneBreakdown("den", 31, map[string]int64{"a": 13, "b": 3, "c": 15, "z": 0})
	num := oneBreakdown("num", 18, map[string]int64{"a": 8, "b": 1, "c": 9, "z": 0})
	r, err := Protect([]Table{num, den}, []Pair{{Numerator: "num", Denominator: "den", Part: true}})
	if err != nil {
		t.Fatal(err)
	}
	cell := func(v string) Cell { return Cell{"area", v, "Y"} }
	// 8 of 13 is 61.5%, from the unrounded counts (not 10 of 15, 66.7%).
	if got := r.Ratio("num", "den", Total("Y"), 100); got.String() != "58.1" || got.State() != Shown {
		t.Errorf("18 of 31: %v", got)
	}
	if got := r.Ratio("num", "den", cell("b"), 100); got.State() != Suppressed || got.String() != "[c]" {
		t.Errorf("1 of 3: %v, want suppressed", got)
	}
	if got := r.Ratio("num", "den", cell("z"), 100); got.State() != NoData {
		t.Errorf("0 of 0: %v, want no data", got)
	}
	if got := r.Ratio("den", "num", Total("Y"), 100); got.State() != NoData {
		t.Errorf("an undeclared ratio: %v, want no data", got)
	}
	if got := r.Ratio("num", "den", Total("Y"), 1000); got.String() != "580.6" {
		t.Errorf("per 1000: %v", got)
	}
	if got, _ := r.Statistic("den", Total("Y"), 23.25).Value(); got != 23.3 {
		t.Errorf("a median of 23.25 is published as %v", got)
	}
	if got := r.Statistic("den", cell("b"), 7); got.State() != Suppressed {
		t.Errorf("a median of a group of 3: %v, want suppressed", got)
	}
	if got := r.Statistic("den", cell("z"), 7); got.State() != NoData {
		t.Errorf("a median of nobody: %v, want no data", got)
	}
}

func TestProtectRefusesBadTables(t *testing.T) {
	good := oneBreakdown("t", 10, map[string]int64{"a": 4, "b": 6})
	cases := []struct {
		name   string
		tables []Table
		pairs  []Pair
		want   string
	}{
		{"does not add up", []Table{oneBreakdown("t", 11, map[string]int64{"a": 4, "b": 6})}, nil, "the breakdown by area in Y adds up to 10, not 11"},
		{"negative", []Table{oneBreakdown("t", -1, nil)}, nil, "below 0"},
		{"two ids", []Table{good, good}, nil, "two tables have the id t"},
		{"part above whole", []Table{good, oneBreakdown("u", 10, map[string]int64{"a": 5, "b": 5})}, []Pair{{"u", "t", true}}, "counts 5 for area a in Y, more than the 4 of table t"},
		{"unknown table", []Table{good}, []Pair{{"t", "nope", false}}, "there is no such table"},
		{"quarters", []Table{{ID: "q", Counts: map[Cell]int64{Total("Y"): 5, Total("Q1"): 2}, Parts: map[string][]string{"Y": {"Q1", "Q2"}}}}, nil,
			"the parts of Y for everyone in Y adds up to 2, not 5"},
	}
	for _, c := range cases {
		_, err := Protect(c.tables, c.pairs)
		if err == nil || !strings.Contains(err.Error(), c.want) || errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

// TestSecondarySuppressionAcrossQuarters: a small cell in one quarter
// needs partners in its row (the other quarters and its year) and in its
// column (the other areas), so that no sum gives it away.
func TestSecondarySuppressionAcrossQuarters(t *testing.T) {
	counts := map[Cell]int64{}
	add := func(area, q string, n int64) {
		counts[Cell{"area", area, q}] += n
		counts[Cell{"area", area, "Y"}] += n
		counts[Total(q)] += n
		counts[Total("Y")] += n
	}
	for _, a := range []string{"a", "b", "c"} {
		for _, q := range []string{"Q1", "Q2", "Q3", "Q4"} {
			n := int64(40)
			if a == "a" && q == "Q2" {
				n = 2
			}
			add(a, q, n)
		}
	}
	tb := Table{ID: "t", Counts: counts, Parts: map[string][]string{"Y": {"Q1", "Q2", "Q3", "Q4"}}}
	r, err := Protect([]Table{tb}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sup := r.Suppressed("t")
	rows, cols := map[string]int{}, map[string]int{}
	for _, c := range sup {
		rows[c.Value]++
		cols[c.Period]++
	}
	// At least two suppressed in area a's row, and in quarter 2's column.
	if rows["a"] < 2 || cols["Q2"] < 2 || len(sup) < 4 {
		t.Errorf("suppressed %v: want a rectangle of at least four cells around area a in Q2", sup)
	}
	if r.Count("t", Total("Y")).State() != Shown {
		t.Error("the year's total need not be suppressed")
	}
}

// TestAShareOfAllIsProtectedWithItsDenominator: when every one counted is
// in the numerator (every decision gave its reasons), the numerator's
// small cells can only move with the denominator's; the pair is protected
// together rather than withheld.
func TestAShareOfAllIsProtectedWithItsDenominator(t *testing.T) {
	den := oneBreakdown("den", 40, map[string]int64{"a": 37, "b": 3})
	num := oneBreakdown("num", 40, map[string]int64{"a": 37, "b": 3})
	r, err := Protect([]Table{num, den}, []Pair{{Numerator: "num", Denominator: "den", Part: true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"num", "den"} {
		if r.tables[id].withheld || r.Count(id, Total("Y")).String() != "40" || r.Count(id, Cell{"area", "b", "Y"}).String() != "[c]" {
			t.Errorf("%s: withheld %v, suppressed %v", id, r.tables[id].withheld, r.Suppressed(id))
		}
	}
	if got := r.Ratio("num", "den", Total("Y"), 100); got.String() != "100.0" {
		t.Errorf("40 of 40 is %v", got)
	}
}

// bigTable is a year of a measure by area, age band, benefit and channel,
// by quarter, with many small cells.
func bigTable(r *rand.Rand, id string, people int, share float64) (den, num Table) {
	parts := map[string][]string{"Y": {"Q1", "Q2", "Q3", "Q4"}}
	den = Table{ID: id, Counts: map[Cell]int64{}, Parts: parts}
	num = Table{ID: id + " part", Counts: map[Cell]int64{}, Parts: parts}
	for range people {
		q := []string{"Q1", "Q2", "Q3", "Q4"}[r.IntN(4)]
		// Areas of very different sizes, as Scotland's are.
		area := fmt.Sprintf("area %02d", min(r.IntN(40), r.IntN(40), 31))
		keys := []Cell{Total("Y"), Total(q),
			{"area", area, "Y"}, {"area", area, q},
			{"age", fmt.Sprint(r.IntN(7)), "Y"}, {"benefit", fmt.Sprint(r.IntN(3)), "Y"}, {"channel", fmt.Sprint(r.IntN(3)), "Y"}}
		keys = append(keys, Cell{"age", keys[4].Value, q}, Cell{"benefit", keys[5].Value, q}, Cell{"channel", keys[6].Value, q})
		in := r.Float64() < share
		for _, k := range keys {
			den.Counts[k]++
			if in {
				num.Counts[k]++
			}
		}
	}
	return den, num
}

func TestProtectIsQuickOnAYearOfAreas(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var tables []Table
	var pairs []Pair
	for i, people := range []int{60, 300, 2000, 20000} {
		den, num := bigTable(r, fmt.Sprint("measure ", i), people, 0.9)
		tables = append(tables, den, num)
		pairs = append(pairs, Pair{Numerator: num.ID, Denominator: den.ID, Part: true})
	}
	start := time.Now()
	rel, err := Protect(tables, pairs)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	for _, tb := range tables {
		got := rel.tables[tb.ID]
		if got.withheld {
			t.Errorf("%s was withheld", tb.ID)
		}
		for _, i := range got.lay.order {
			if got.cells[i].sup && got.cells[i].value > 0 && !got.withheld && protectedNow(rel, tb.ID, i) == false {
				t.Errorf("%s: %s is suppressed but not protected", tb.ID, got.lay.keys[i])
			}
		}
		t.Logf("%s: %d of %d cells suppressed", tb.ID, len(rel.Suppressed(tb.ID)), len(got.cells))
	}
	if took > 5*time.Second {
		t.Errorf("Protect took %v", took)
	}
	t.Logf("Protect took %v", took)
}

// protectedNow reports whether a suppressed cell can still move, by the
// same search Protect uses.
func protectedNow(rel *Release, id string, i int) bool {
	for _, g := range rel.groups {
		for ti, tb := range g.tables {
			if tb.id == id {
				return g.protected(ti, i, 0) != nil
			}
		}
	}
	return false
}

func TestPublishedJSON(t *testing.T) {
	r, err := Protect([]Table{oneBreakdown("t", 1262, map[string]int64{"a": 0, "b": 12, "c": 13, "d": 1237})}, []Pair{{"t", "t", false}})
	if err != nil {
		t.Fatal(err)
	}
	small, err := Protect([]Table{oneBreakdown("s", 3, nil)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		v    any
		want string
	}{
		{r.Count("t", Cell{"area", "d", "Y"}), "1235"},
		{r.Ratio("t", "t", Total("Y"), 100), "100.0"},
		{r.Statistic("t", Total("Y"), 4.25), "4.3"},
		{small.Count("s", Total("Y")), `"[c]"`},
		{r.Count("nope", Total("Y")), "null"},
	}
	for _, c := range cases {
		b, err := json.Marshal(c.v)
		if err != nil || string(b) != c.want {
			t.Errorf("%v: %s, %v; want %s", c.v, b, err, c.want)
		}
	}
}
