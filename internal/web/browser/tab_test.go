package browser

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// stepTimeout bounds one browser step (a navigation, a click, an axe run).
const stepTimeout = 30 * time.Second

// tab is one browser tab in a browser context of its own, so each test
// starts with no cookies, pointed at one site.
type tab struct {
	t       *testing.T
	ctx     context.Context
	site    *site
	name    string          // the screenshot file name prefix
	js      bool            // whether the page's own scripts run
	checked map[string]bool // the paths check has looked at in this tab

	mu      sync.Mutex
	console []string // errors and exceptions the page logged since the last check
}

// newTab opens a tab on s. With JavaScript off, the page's own scripts do
// not run (as for a person who has turned it off); the tests can still
// read the page through the DevTools protocol.
func (s *site) newTab(t *testing.T, javaScript bool) *tab {
	t.Helper()
	needBrowser(t)
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	b := &tab{t: t, ctx: ctx, site: s, name: screenshotPrefix(t.Name()), js: javaScript, checked: map[string]bool{}}
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("opening a browser tab: %v", err)
	}
	// The design system scrolls smoothly to an anchor unless the person
	// prefers less motion; the tests follow many anchors and prefer less.
	b.call(func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	})
	if !javaScript {
		b.call(func(ctx context.Context) error { return setScripts(ctx, false) })
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				b.mu.Lock()
				b.console = append(b.console, fmt.Sprintf("%s (%s)", m, m.URL))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// call runs f with a context that gives up after stepTimeout.
func (b *tab) call(f func(ctx context.Context) error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := f(ctx); err != nil {
		b.t.Fatalf("browser, on %s: %v", b.location(), err)
	}
}

// do runs actions in order.
func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.call(func(ctx context.Context) error { return chromedp.Do(ctx, actions...) })
}

// eval evaluates JavaScript in the page and decodes the result into T.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	var v T
	b.call(func(ctx context.Context) error {
		var err error
		v, err = chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
		return err
	})
	return v
}

// visit loads a page by its path and returns the HTTP status.
func (b *tab) visit(path string) int64 {
	b.t.Helper()
	var status int64
	b.call(func(ctx context.Context) error {
		resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(b.site.URL+path))
		if err == nil && resp != nil {
			status = resp.Status
		}
		return err
	})
	return status
}

// location is the current address, without the server's.
func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return strings.TrimPrefix(loc, b.site.URL)
}

// path is the current path, without query or fragment.
func (b *tab) path() string {
	u, err := url.Parse(b.location())
	if err != nil {
		return b.location()
	}
	return u.Path
}

// typeInto types text into the form field called name, as a person would:
// it clicks into it and presses keys. Anything already in it is cleared.
func (b *tab) typeInto(name, text string) {
	b.t.Helper()
	css := fmt.Sprintf(`[name=%q]`, name)
	if !eval[bool](b, fmt.Sprintf(`(el => { if (!el) return false; el.value = ''; return true; })(document.querySelector(%q))`, css)) {
		b.t.Fatalf("%s has no field called %q", b.location(), name)
	}
	b.do(chromedp.SendKeys(chromedp.CSS(css), text))
}

// choose picks value for the field called name: the radio button, checkbox
// or option whose value, or whose label, is value; or, for any other field,
// types it.
func (b *tab) choose(name, value string) {
	b.t.Helper()
	kind := eval[string](b, fmt.Sprintf(`(() => {
		const el = document.querySelector('[name=%q]');
		if (!el) return '';
		if (el.tagName === 'SELECT') return 'select';
		return el.type || el.tagName.toLowerCase();
	})()`, name))
	switch kind {
	case "":
		b.t.Fatalf("%s has no field called %q", b.location(), name)
	case "radio", "checkbox":
		id := eval[string](b, fmt.Sprintf(`(() => {
			const want = %q.toLowerCase();
			for (const el of document.querySelectorAll('[name=%q]')) {
				const label = el.labels && el.labels[0] ? el.labels[0].textContent.trim().toLowerCase() : '';
				if (el.value.toLowerCase() === want || label === want || label.startsWith(want)) return el.id;
			}
			return '';
		})()`, value, name))
		if id == "" {
			b.t.Fatalf("%s: no choice %q for %q", b.location(), value, name)
		}
		// A person clicks the label: the design system draws its own radio
		// buttons and checkboxes over the real ones.
		b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for=%q]`, id))))
	case "select":
		ok := eval[bool](b, fmt.Sprintf(`(() => {
			const el = document.querySelector('[name=%q]');
			const want = %q.toLowerCase();
			for (const o of el.options) {
				if (o.value.toLowerCase() === want || o.textContent.trim().toLowerCase().startsWith(want)) {
					el.value = o.value;
					el.dispatchEvent(new Event('change', {bubbles: true}));
					return true;
				}
			}
			return false;
		})()`, name, value))
		if !ok {
			b.t.Fatalf("%s: no option %q for %q", b.location(), value, name)
		}
	case "date":
		// A date field takes keys in the order of the browser's locale:
		// set its value as the browser would send it.
		b.do(chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`[name=%q]`, name)), value))
	default:
		b.typeInto(name, value)
	}
}

// has reports whether the page has an element matching a CSS selector.
func (b *tab) has(css string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`document.querySelector(%q) !== null`, css))
}

// count is how many elements match a CSS selector.
func (b *tab) count(css string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, css))
}

// press clicks the button with this text (or, if text is "", the submit
// button) in the form holding the field called inForm, if given, else
// anywhere on the page; it waits for the page that leads to and returns
// its HTTP status.
func (b *tab) press(text string, inForm ...string) int64 {
	b.t.Helper()
	button := fmt.Sprintf(`button[normalize-space(.)=%q]`, text)
	if text == "" {
		button = `button[not(@type) or @type="submit"]`
	}
	xpath := "//" + button
	if len(inForm) > 0 {
		xpath = fmt.Sprintf(`//form[.//*[@name=%q]]//%s`, inForm[0], button)
	}
	var status int64
	b.call(func(ctx context.Context) error {
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.Search(xpath)))
		if err == nil && resp != nil {
			status = resp.Status
		}
		return err
	})
	return status
}

// text is the text of the first element matching a CSS selector, as the
// page shows it.
func (b *tab) text(css string) string {
	b.t.Helper()
	var s string
	b.call(func(ctx context.Context) error {
		var err error
		s, err = chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(css)))
		return err
	})
	return strings.Join(strings.Fields(s), " ")
}

// wantText fails the test unless the main content says each of want.
func (b *tab) wantText(want ...string) {
	b.t.Helper()
	main := b.text("main")
	for _, w := range want {
		if !strings.Contains(main, w) {
			b.t.Errorf("%s does not say %q; it says:\n%s", b.location(), w, main)
		}
	}
}

// check looks at the page as it is now: it runs axe-core on it, saves a
// screenshot called label, and reports scripts that failed or assets
// the page could not load.
func (b *tab) check(label string) {
	b.t.Helper()
	b.checked[b.path()] = true
	b.screenshot(label)
	b.axe(label)
	b.mu.Lock()
	logged := b.console
	b.console = nil
	b.mu.Unlock()
	for _, m := range logged {
		// The page itself may be a 404 or a form sent back with errors (400):
		// the browser logs that its status is not 200, which is right.
		if strings.Contains(m, "Failed to load resource") && strings.Contains(m, "("+b.site.URL+b.location()+")") {
			continue
		}
		b.t.Errorf("%s (%s) logged: %s", b.location(), label, m)
	}
}

// screenshot saves the whole page as screenshots/<test>-<nn>-<label>.png.
func (b *tab) screenshot(label string) {
	b.t.Helper()
	var png []byte
	b.call(func(ctx context.Context) error {
		var err error
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
		return err
	})
	name := fmt.Sprintf("%s-%02d-%s.png", b.name, nextShot(b.t.Name()), slug(label))
	if err := os.WriteFile(filepath.Join(shotDir, name), png, 0o644); err != nil {
		b.t.Errorf("saving a screenshot: %v", err)
	}
}

// shots counts each test's screenshots, across its tabs, so their numbers
// follow the story the test tells.
var (
	shotsMu sync.Mutex
	shots   = map[string]int{}
)

func nextShot(test string) int {
	shotsMu.Lock()
	defer shotsMu.Unlock()
	shots[test]++
	return shots[test]
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// screenshotPrefix names a test's screenshots: TestClientSignIn/x becomes
// client-sign-in-x.
func screenshotPrefix(testName string) string {
	name := strings.TrimPrefix(testName, "Test")
	name = regexp.MustCompile(`([a-z0-9])([A-Z])`).ReplaceAllString(name, "$1-$2")
	return slug(name)
}
