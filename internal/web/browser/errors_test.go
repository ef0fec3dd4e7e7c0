package browser

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFormErrors submits forms wrongly and checks each answer: the design
// system's error summary at the top, a link in it to each field that needs
// fixing, the link taking a person (and the keyboard focus) to the field,
// and nothing axe-core objects to.
func TestFormErrors(t *testing.T) {
	s := newSite(t)
	ref := s.newApplication()
	s.addCaseworker()

	t.Run("track with nothing filled in", func(t *testing.T) {
		b := s.newTab(t, true)
		b.visit("/track")
		if status := b.press("Send me a code"); status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
		b.errorSummary("track errors", "reference", "dob-day")
	})

	t.Run("track with a date of birth that does not match", func(t *testing.T) {
		b := s.newTab(t, true)
		b.visit("/track")
		b.typeInto("reference", ref)
		b.typeInto("dob-day", "31")
		b.typeInto("dob-month", "2")
		b.typeInto("dob-year", "1980")
		b.press("Send me a code")
		b.errorSummary("track date not real", "dob-day")
		// What was typed is kept, so a person corrects only what is wrong.
		if v := b.value("reference"); v != ref {
			t.Errorf("the reference field holds %q after the error, want %q", v, ref)
		}
		b.typeInto("dob-day", "18")
		b.press("Send me a code")
		b.errorSummary("track not found", "reference")
	})

	t.Run("a wrong code", func(t *testing.T) {
		b := s.newTab(t, true)
		b.visit("/track")
		b.typeInto("reference", ref)
		y, m, d := clientDOB.Date()
		b.typeInto("dob-day", strconv.Itoa(d))
		b.typeInto("dob-month", strconv.Itoa(int(m)))
		b.typeInto("dob-year", strconv.Itoa(y))
		b.press("Send me a code")
		b.press("Continue")
		b.errorSummary("code empty", "code")
		wrong := "000000"
		if s.lastCode(t) == wrong {
			wrong = "999999"
		}
		b.typeInto("code", wrong)
		b.press("Continue")
		b.errorSummary("code wrong", "code")
	})

	t.Run("staff sign-in with nothing filled in", func(t *testing.T) {
		b := s.newTab(t, true)
		b.visit("/staff/sign-in")
		b.press("Sign in")
		b.errorSummary("staff sign-in empty", "email", "password")
	})

	t.Run("staff sign-in with a wrong password", func(t *testing.T) {
		b := s.newTab(t, true)
		b.visit("/staff/sign-in")
		b.typeInto("email", staffEmail)
		b.typeInto("password", "not the password at all")
		b.press("Sign in")
		b.errorSummary("staff sign-in wrong password", "email")
		if v := b.value("password"); v != "" {
			t.Error("the password field was filled in again after a failed sign-in")
		}
	})

	t.Run("case forms with missing fields", func(t *testing.T) {
		b := s.newTab(t, true)
		staffSignsIn(b)
		openCase(b, ref)
		b.press("Record the request")
		b.errorSummary("request information empty", "what", "why", "from")

		// A date that has passed, with everything else right: only the date is wrong.
		b.choose("what", "A letter from your employer")
		b.choose("why", "To see how many hours you work")
		b.choose("from", "client")
		b.fillDate("due", s.svc.Today())
		b.press("Record the request")
		b.errorSummary("request information due today", "due-day")
		if v := b.value("what"); v != "A letter from your employer" {
			t.Errorf("what was typed is lost after the error: what holds %q", v)
		}

		openCase(b, ref)
		b.press("Change the stage")
		b.errorSummary("stage not chosen", "stage")

		openCase(b, ref)
		b.press("Record the decision")
		b.errorSummary("decision empty", "outcome")

		openCase(b, ref)
		b.press("Withdraw the application")
		b.errorSummary("withdraw without a reason", "withdraw-reason")
	})

	t.Run("work queue with a filter that does not exist", func(t *testing.T) {
		b := s.newTab(t, true)
		staffSignsIn(b)
		if status := b.visit("/staff?benefit=no-such-benefit&status=no-such-status"); status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
		b.errorSummary("work queue unknown filter", "benefit", "status")
	})
}

// value is what the field called name holds.
func (b *tab) value(name string) string {
	b.t.Helper()
	var v string
	b.call(func(ctx context.Context) error {
		var err error
		v, err = chromedp.Run(ctx, chromedp.Value(chromedp.CSS(fmt.Sprintf(`[name=%q]`, name))))
		return err
	})
	return v
}

// summaryCheck is what the page says about its error summary and fields.
type summaryCheck struct {
	Title   string   `json:"title"`
	Summary bool     `json:"summary"`
	Role    string   `json:"role"`
	Links   []string `json:"links"`
	// Problems with the fields the links point to, in words.
	Problems []string `json:"problems"`
}

// errorSummary checks the page answers a form sent with errors as the
// design system says: "Error:" first in the title, the error summary, one
// link per field in wantFields (the ids the summary links to), each field
// marked and with its message; and that each link moves the focus to its
// field. Extra fields in the summary are allowed when wantFields names at
// least those the test is sure of.
func (b *tab) errorSummary(label string, wantFields ...string) {
	b.t.Helper()
	// Before any link is followed, so the screenshot shows the page as it
	// first appears.
	b.check(label)
	got := eval[summaryCheck](b, `(() => {
		const s = document.querySelector('.ds_error-summary');
		const links = s ? Array.from(s.querySelectorAll('a'), a => a.getAttribute('href')) : [];
		const problems = [];
		for (const href of links) {
			if (!href.startsWith('#')) { problems.push(href + ' is not a link to a field on the page'); continue; }
			const el = document.getElementById(href.slice(1));
			if (!el) { problems.push('nothing on the page has the id ' + href.slice(1)); continue; }
			const q = el.closest('.ds_question');
			if (!q || !q.classList.contains('ds_question--error')) problems.push(href + ' is not in a ds_question--error');
			else if (!q.querySelector('.ds_question__error-message')) problems.push(href + ' has no ds_question__error-message');
		}
		return {title: document.title, summary: !!s, role: s ? (s.getAttribute('role') || '') : '', links, problems};
	})()`)
	if !strings.HasPrefix(got.Title, "Error: ") {
		b.t.Errorf("%s: the title %q does not start with \"Error: \"", label, got.Title)
	}
	if !got.Summary {
		b.t.Fatalf("%s: no .ds_error-summary on %s", label, b.location())
	}
	if got.Role != "alert" {
		b.t.Errorf("%s: the error summary has role %q, want alert so screen readers announce it", label, got.Role)
	}
	for _, p := range got.Problems {
		b.t.Errorf("%s: %s", label, p)
	}
	for _, f := range wantFields {
		if !slices.Contains(got.Links, "#"+f) {
			b.t.Errorf("%s: the error summary links to %v, not to #%s", label, got.Links, f)
		}
	}
	for _, href := range got.Links {
		if !strings.HasPrefix(href, "#") {
			continue
		}
		b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ds_error-summary a[href=%q]`, href))))
		// Wait until the page stops moving, in case it scrolls smoothly.
		where := eval[[]string](b, `new Promise(done => {
			let last = NaN, still = 0;
			const settle = () => {
				if (scrollY === last && ++still >= 2) {
					const el = document.activeElement, r = el.getBoundingClientRect();
					return done([location.hash, el.id || '', String(r.top >= -1 && r.bottom <= innerHeight + 1), JSON.stringify({top: r.top, bottom: r.bottom, innerHeight, scrollY})]);
				}
				if (scrollY !== last) still = 0;
				last = scrollY;
				setTimeout(settle, 50);
			};
			settle();
		})`)
		if where[0] != href {
			b.t.Errorf("%s: after following %s the address ends %q", label, href, where[0])
		}
		if where[1] != href[1:] {
			b.t.Errorf("%s: after following %s the focus is on #%s, not on the field", label, href, where[1])
		} else if where[2] != "true" {
			b.t.Errorf("%s: after following %s the field is not on screen %s", label, href, where[3])
		}
	}
}
