package browser

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeTags are the rules axe-core runs: WCAG 2.0, 2.1 and 2.2, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeResult is what the page sends back from axe.run: the violations in
// full, and a line for each element axe-core could not decide about (a
// person should look at those).
type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Incomplete []axeUndecided `json:"incomplete"`
	Passes     int            `json:"passes"`
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

// axeUndecided is one element axe-core could not decide about, and why.
type axeUndecided struct {
	ID     string `json:"id"`
	Target string `json:"target"`
	Why    string `json:"why"`
}

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

// axeRun runs axe-core in the page and keeps only what axeResult holds.
var axeRun = fmt.Sprintf(`axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(r => {
	const where = n => n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t));
	return {
		violations: r.violations.map(v => ({
			id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: where(n), html: n.html, summary: n.failureSummary || ''})),
		})),
		incomplete: r.incomplete.flatMap(v => v.nodes.map(n => ({id: v.id, target: where(n).join(', '),
			why: n.any.concat(n.all, n.none).map(c => c.message).join('; ') || v.help}))),
		passes: r.passes.length,
	};
})`, jsStrings(axeTags))

func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// axe runs axe-core on the page as it is now and fails the test for each
// violation, with what a person needs to find and fix it.
func (b *tab) axe(label string) {
	b.t.Helper()
	start := time.Now()
	res := b.runAxe()
	recordAxe(b.t.Name(), label, b.location(), res, time.Since(start))
	if len(res.Violations) > 0 {
		b.t.Errorf("axe-core: %d accessibility violation(s) on %s (%s):\n%s",
			len(res.Violations), b.location(), label, formatViolations(res.Violations))
	}
}

// runAxe runs axe-core on the page as it is now, loading it first if the
// page does not have it yet.
func (b *tab) runAxe() axeResult {
	b.t.Helper()
	var res axeResult
	b.call(func(ctx context.Context) error {
		if !b.js {
			// With scripts off, axe-core's timers never fire. Turned on now,
			// after the page has loaded, the page's own scripts still do not
			// run: the browser skipped them while it read the page.
			if err := setScripts(ctx, true); err != nil {
				return err
			}
			defer setScripts(ctx, false)
		}
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
		if err != nil {
			return err
		}
		if !loaded {
			// Evaluated through DevTools, so the page's Content-Security-Policy
			// (script-src 'self') does not stop it.
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource+"\n;void 0")); err != nil {
				return fmt.Errorf("loading axe-core: %w", err)
			}
		}
		res, err = chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
		return err
	})
	return res
}

// setScripts turns the page's JavaScript on or off.
func setScripts(ctx context.Context, on bool) error {
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	return err
}

func formatViolations(vs []axeViolation) string {
	var sb strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&sb, "  - %s [%s]: %s\n    %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "      at %s\n        %s\n", strings.Join(n.Target, ", "), n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&sb, "        %s\n", strings.ReplaceAll(n.Summary, "\n", "\n        "))
			}
		}
	}
	return sb.String()
}

// The axe-core runs of the whole test binary, for the summary TestMain
// prints with -v.
var (
	axeMu   sync.Mutex
	axeRuns []axeRecord
)

type axeRecord struct {
	test, label, page string
	violations        int
	incomplete        []axeUndecided
	took              time.Duration
}

func recordAxe(test, label, page string, res axeResult, took time.Duration) {
	axeMu.Lock()
	defer axeMu.Unlock()
	axeRuns = append(axeRuns, axeRecord{test, label, page, len(res.Violations), res.Incomplete, took})
}

// axeSummary lists each page axe-core checked with its violations, and
// what axe-core could not decide (a person should look at those).
func axeSummary() string {
	axeMu.Lock()
	defer axeMu.Unlock()
	if len(axeRuns) == 0 {
		return ""
	}
	var sb strings.Builder
	pages := map[string]bool{}
	violations := 0
	type undecided struct{ page, id, why string }
	review := map[undecided]map[string]bool{} // → the elements
	for _, r := range axeRuns {
		pages[r.page] = true
		violations += r.violations
		for _, u := range r.incomplete {
			k := undecided{r.page, u.ID, u.Why}
			if review[k] == nil {
				review[k] = map[string]bool{}
			}
			review[k][u.Target] = true
		}
	}
	fmt.Fprintf(&sb, "axe-core (%s) ran %d times on %d addresses: %d violation(s)\n",
		strings.Join(axeTags, ", "), len(axeRuns), len(pages), violations)
	for _, r := range axeRuns {
		fmt.Fprintf(&sb, "  %-48s %-36s %-40s %d violation(s) %5dms\n", r.test, r.label, r.page, r.violations, r.took.Milliseconds())
	}
	if len(review) > 0 {
		fmt.Fprintf(&sb, "what axe-core could not decide (a person should look):\n")
		lines := make([]string, 0, len(review))
		for k, els := range review {
			targets := make([]string, 0, len(els))
			for t := range els {
				targets = append(targets, t)
			}
			sort.Strings(targets)
			if len(targets) > 3 {
				targets = append(targets[:3], "…")
			}
			lines = append(lines, fmt.Sprintf("  %s: %s on %d element(s) (%s): %s",
				k.page, k.id, len(els), strings.Join(targets, " "), k.why))
		}
		sort.Strings(lines)
		sb.WriteString(strings.Join(lines, "\n") + "\n")
	}
	return sb.String()
}

// TestAxeFindsViolations makes sure the harness is not passing pages by
// accident: a page with known faults must give those violations.
func TestAxeFindsViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html><head><title>Faults</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="nameless">
<p style="color:#bbb;background:#fff">Pale text</p>
</main></body></html>`)
	}))
	defer srv.Close()
	b := (&site{t: t, URL: srv.URL}).newTab(t, true)
	b.visit("/")
	got := map[string]bool{}
	for _, v := range b.runAxe().Violations {
		got[v.ID] = true
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label", "color-contrast"} {
		if !got[want] {
			t.Errorf("axe-core did not report %s; it reported %v", want, got)
		}
	}
}
