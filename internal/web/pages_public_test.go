package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/charter-service/charter/internal/app"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// pagesNow is the fixed "now" of these tests: Monday 2 March 2026, 10:00.
var pagesNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

type pagesFixture struct {
	t   *testing.T
	s   *Server
	srv *httptest.Server
	svc *app.Service
}

// newPagesFixture serves the pages over a fresh SQLite store holding the
// example charter and benefits.
func newPagesFixture(t *testing.T) *pagesFixture {
	t.Helper()
	site := newSite(t)
	return &pagesFixture{t: t, s: site.srv.Config.Handler.(*Server), srv: site.srv, svc: site.svc}
}

type page struct {
	status int
	header http.Header
	body   string
}

func (f *pagesFixture) get(path string, headers ...string) page {
	f.t.Helper()
	req, err := http.NewRequest("GET", f.srv.URL+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

var publicPages = []string{"/", "/charter", "/charter/history", "/track", "/feedback", "/feedback/send", "/accessibility"}

var (
	h1Re       = regexp.MustCompile(`<h1[\s>]`)
	postFormRe = regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*>.*?</form>`)
	csrfRe     = regexp.MustCompile(`<input type="hidden" name="csrf_token" value="[^"]*">`)
)

func TestPublicPages(t *testing.T) {
	f := newPagesFixture(t)
	charterIDs := map[string]bool{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(f.get("/charter").body, -1) {
		charterIDs[m[1]] = true
	}
	for _, path := range publicPages {
		t.Run(path, func(t *testing.T) {
			p := f.get(path)
			if p.status != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", path, p.status, p.body)
			}
			if ct := p.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			checkPageFrame(t, p.body)
			// Commitments and terms the page names are in the charter.
			for _, m := range regexp.MustCompile(`href="/charter#([^"]+)"`).FindAllStringSubmatch(p.body, -1) {
				if !charterIDs[m[1]] {
					t.Errorf("link to /charter#%s, which the charter page does not have", m[1])
				}
			}
		})
	}
}

// checkPageFrame checks what every page must have.
func checkPageFrame(t *testing.T, body string) {
	t.Helper()
	if n := len(h1Re.FindAllString(body, -1)); n != 1 {
		t.Errorf("%d <h1> elements, want exactly 1", n)
	}
	if err := headingsInOrder(body); err != nil {
		t.Errorf("headings out of order: %v", err)
	}
	for _, want := range []string{
		`<html lang="en">`,
		`<a class="ds_skip-links__link" href="#main-content">Skip to main content</a>`,
		`<main id="main-content"`,
		`<header class="ds_site-header">`,
		`<footer class="ds_site-footer">`,
		`This is a new service.`,
		`<a href="/accessibility">Accessibility statement</a>`,
		`<a href="/charter">Our charter</a>`,
		`<a href="/feedback">Feedback and complaints</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, form := range postFormRe.FindAllString(body, -1) {
		if !csrfRe.MatchString(form) {
			t.Errorf("a POST form without the csrf_token field:\n%s", form)
		}
	}
}

func TestTrackFormPostsToSignIn(t *testing.T) {
	f := newPagesFixture(t)
	p := f.get("/track")
	forms := postFormRe.FindAllString(p.body, -1)
	if len(forms) != 1 || !strings.Contains(forms[0], `action="/sign-in"`) {
		t.Fatalf("want one POST form to /sign-in, got %q", forms)
	}
	for _, name := range []string{"reference", "dob-day", "dob-month", "dob-year", "csrf_token"} {
		if !strings.Contains(forms[0], `name="`+name+`"`) {
			t.Errorf("the form lacks the field %q", name)
		}
	}
}

// TestSignedInChrome renders a page as the sign-in work will, with a
// session, and checks the header shows who is signed in and the sign-out
// form carries the CSRF token.
func TestSignedInChrome(t *testing.T) {
	f := newPagesFixture(t)
	r := httptest.NewRequest("GET", "/track", nil)
	c := f.s.chrome(r, "Track your application")
	c.SignedIn, c.Name, c.Role, c.CSRFToken, c.Flash = true, "casey@example.org", "caseworker", "tok-123", "You have signed in."
	w := httptest.NewRecorder()
	f.s.render(w, r, http.StatusOK, "track", trackView{Chrome: c})
	body := w.Body.String()
	checkPageFrame(t, body)
	for _, want := range []string{
		`Signed in as <strong>casey@example.org</strong> (caseworker)`,
		`<form method="post" action="/sign-out">`,
		`You have signed in.`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if n := strings.Count(body, `name="csrf_token" value="tok-123"`); n != 2 {
		t.Errorf("the CSRF token is in %d forms, want 2 (sign-out and sign-in)", n)
	}
}

func TestTrackErrors(t *testing.T) {
	f := newPagesFixture(t)
	r := httptest.NewRequest("POST", "/sign-in", nil)
	w := httptest.NewRecorder()
	f.s.renderTrack(w, r, http.StatusUnprocessableEntity, trackView{
		Reference: "7KM-4QX-9DO", DOBDay: "31", DOBMonth: "2", DOBYear: "1980",
		Errors: []FieldError{
			{"reference", "This reference looks mistyped: references never contain 0, O, 1, I, L or U"},
			{"dob-day", "Date of birth must be a real date"},
		},
	})
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity {
		t.Errorf("status %d", w.Code)
	}
	checkPageFrame(t, body)
	for _, want := range []string{
		`<title>Error: Track your application`,
		`<div class="ds_error-summary"`,
		`<a href="#reference">This reference looks mistyped`,
		`<a href="#dob-day">Date of birth must be a real date</a>`,
		`value="7KM-4QX-9DO"`,
		`aria-invalid="true"`,
		`<p class="ds_question__error-message" id="dob-day-error">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestCharterPage(t *testing.T) {
	f := newPagesFixture(t)
	ch, err := f.svc.Charter()
	if err != nil {
		t.Fatal(err)
	}
	p := f.get("/charter")
	if p.status != http.StatusOK {
		t.Fatalf("GET /charter: %d", p.status)
	}
	n := 0
	for _, sec := range ch.Sections {
		for _, c := range sec.Commitments {
			n++
			anchor := "commitment-" + strings.ReplaceAll(c.ID, ".", "-")
			want := fmt.Sprintf(`id="%s">`+"\n"+`<span class="charter-commitment__number">%s</span>`, anchor, c.ID)
			if !strings.Contains(p.body, want) {
				t.Errorf("commitment %s: no anchor %q with its number", c.ID, anchor)
			}
		}
	}
	if n == 0 {
		t.Fatal("the example charter has no commitments")
	}
	for _, term := range ch.Glossary {
		if !strings.Contains(p.body, `<dt id="`+termAnchor(term.Term)+`">`) {
			t.Errorf("glossary term %q has no anchor", term.Term)
		}
	}
	if !strings.Contains(p.body, `<a href="/charter#term-re-determination" class="charter-term">re-determination</a>`) {
		t.Error("no commitment links a glossary term")
	}
	if !strings.Contains(p.body, `<a href="/feedback">feedback or make a complaint</a>`) {
		t.Error("no link to /feedback for a commitment not kept")
	}
	// Every in-page link goes somewhere on the page.
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(p.body, -1) {
		ids[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`href="(?:/charter)?#([^"]+)"`).FindAllStringSubmatch(p.body, -1) {
		if !ids[m[1]] {
			t.Errorf("link to #%s, which is not on the page", m[1])
		}
	}
}

// TestCharterGolden compares the charter page with testdata/charter.golden
// (asset hashes normalised, as they change with the design system build).
// Run with -update to rewrite it after a deliberate change.
func TestCharterGolden(t *testing.T) {
	f := newPagesFixture(t)
	p := f.get("/charter")
	got := regexp.MustCompile(`/assets/(?:[0-9a-f]{12}|unbuilt)/`).ReplaceAllString(p.body, "/assets/HASH/")
	golden := filepath.Join("testdata", "charter.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/web -run TestCharterGolden -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("the charter page differs from %s at line %d:\n got: %s\nwant: %s\n(run with -update if the change is deliberate)", golden, i+1, g, w)
			}
		}
	}
}

var (
	assetURLRe = regexp.MustCompile(`(?:src|href)="(/assets/[^"#]+)`)
	cssURLRe   = regexp.MustCompile(`url\(([^)]+)\)`)
	// Elements that fetch a script, a style, a font or an image, with an
	// off-site address: scheme-relative ("//cdn…") or absolute.
	offsiteRe = regexp.MustCompile(`(?i)<(?:script|link|img|source|image|use|iframe|video|audio)\b[^>]*\s(?:src|href|srcset|xlink:href)="\s*(?:https?:)?//`)
)

func TestAssetsServed(t *testing.T) {
	f := newPagesFixture(t)
	wantType := map[string]string{
		".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
		".svg": "image/svg+xml", ".woff2": "font/woff2",
	}
	check := func(url string) page {
		t.Helper()
		p := f.get(url)
		if p.status != http.StatusOK {
			t.Errorf("GET %s: %d", url, p.status)
			return p
		}
		if cc := p.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", url, cc)
		}
		if ct, want := p.header.Get("Content-Type"), wantType[filepath.Ext(url)]; ct != want {
			t.Errorf("GET %s: Content-Type %q, want %q", url, ct, want)
		}
		return p
	}
	home := f.get("/")
	seen := map[string]bool{}
	for _, m := range assetURLRe.FindAllStringSubmatch(home.body, -1) {
		url := m[1]
		if seen[url] {
			continue
		}
		seen[url] = true
		if strings.HasPrefix(url, "/assets/unbuilt/") {
			t.Logf("%s: the design system is not built (run make assets); not checked", url)
			continue
		}
		p := check(url)
		// Fonts and images named in stylesheets are served too.
		for _, u := range cssURLRe.FindAllStringSubmatch(p.body, -1) {
			ref := strings.Trim(u[1], `"'`)
			if strings.HasPrefix(ref, "data:") {
				continue
			}
			if !strings.HasPrefix(ref, "/assets/") {
				t.Errorf("%s: url(%s) is not a hashed asset URL", url, ref)
				continue
			}
			if !seen[ref] {
				seen[ref] = true
				check(ref)
			}
		}
	}
	if !f.s.assets.HaveDist() {
		t.Log("the design system is not built: only Charter's own assets were checked")
	} else if !seen[f.assetURL(t, "dist/fonts/roboto-latin-400-normal.woff2")] {
		t.Error("the regular Roboto font is not reachable from the page's stylesheets")
	}

	css := f.assetURL(t, "charter.css")
	hash := strings.Split(css, "/")[2]
	wrong := []byte(hash)
	wrong[0] = "01"[map[bool]int{true: 1}[wrong[0] == '0']]
	for _, bad := range []string{
		"/assets/" + string(wrong) + "/charter.css", // one digit wrong
		"/assets/" + strings.Repeat("0", hashLen) + "/charter.css",
		"/assets/unbuilt/charter.css",
		strings.TrimSuffix(css, ".css") + ".js",
		"/assets/charter.css",
	} {
		if p := f.get(bad); p.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, p.status)
		}
	}

	// Text assets are sent compressed to clients that ask.
	plain := f.get(css, "Accept-Encoding", "identity")
	zipped := f.get(css, "Accept-Encoding", "gzip")
	if len(plain.body) > 512 {
		if zipped.header.Get("Content-Encoding") != "gzip" || zipped.header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("gzip not used: %v", zipped.header)
		} else if zr, err := gzip.NewReader(strings.NewReader(zipped.body)); err != nil {
			t.Error(err)
		} else if b, _ := io.ReadAll(zr); string(b) != plain.body {
			t.Error("the gzipped body differs from the plain one")
		}
	}
}

func (f *pagesFixture) assetURL(t *testing.T, name string) string {
	t.Helper()
	u, err := f.s.assets.URL(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestNoOffsiteRequests(t *testing.T) {
	f := newPagesFixture(t)
	for _, path := range append(publicPages, "/no-such-page") {
		p := f.get(path)
		if m := offsiteRe.FindAllString(p.body, -1); m != nil {
			t.Errorf("%s fetches from another site: %q", path, m)
		}
		if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
	}
	// The check itself works.
	for _, bad := range []string{
		`<script src="https://cdn.example.com/x.js"></script>`,
		`<link rel="stylesheet" href="//fonts.googleapis.com/css">`,
		`<img alt="" src="http://example.com/a.png">`,
	} {
		if !offsiteRe.MatchString(bad) {
			t.Errorf("the off-site check misses %s", bad)
		}
	}
	// Nor do the stylesheets we serve.
	for name, a := range f.s.assets.files {
		if strings.HasSuffix(name, ".css") && regexp.MustCompile(`url\(\s*['"]?(https?:)?//`).Match(a.body) {
			t.Errorf("%s refers to another site", name)
		}
	}
}

func TestNotFoundAndErrorPages(t *testing.T) {
	f := newPagesFixture(t)
	p := f.get("/no-such-page")
	if p.status != http.StatusNotFound || !strings.Contains(p.body, "<h1 class=\"ds_page-header__title\">Page not found</h1>") {
		t.Errorf("GET /no-such-page: %d\n%s", p.status, p.body)
	}
	checkPageFrame(t, p.body)
	if api := f.get("/api/v1/no-such-thing"); api.status != http.StatusNotFound || !strings.HasPrefix(api.header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /api/v1/no-such-thing: %d %s", api.status, api.header.Get("Content-Type"))
	}

	// A page that cannot be rendered is a 500 page with only the request id.
	var logs bytes.Buffer
	f.s.log = slog.New(slog.NewTextHandler(&logs, nil))
	r := httptest.NewRequest("GET", "/x", nil)
	r = r.WithContext(context.WithValue(r.Context(), keyRequestID, "req-42"))
	w := httptest.NewRecorder()
	f.s.render(w, r, http.StatusOK, "home", struct{ Chrome Chrome }{f.s.chrome(r, "x")}) // lacks .Dates
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	}
	body := w.Body.String()
	checkPageFrame(t, body)
	if !strings.Contains(body, "<strong>req-42</strong>") || strings.Contains(body, "Dates") {
		t.Errorf("the 500 page should show the request id and nothing of the error:\n%s", body)
	}
	if !strings.Contains(logs.String(), "request_id=req-42") {
		t.Errorf("the error was not logged with the request id: %s", logs.String())
	}

	for _, code := range []int{http.StatusForbidden, http.StatusNotFound, http.StatusInternalServerError} {
		w := httptest.NewRecorder()
		f.s.renderError(w, r, code)
		if w.Code != code {
			t.Errorf("renderError(%d) wrote %d", code, w.Code)
		}
		checkPageFrame(t, w.Body.String())
	}
}

func TestTemplatesUsePlainDates(t *testing.T) {
	// Dates, not durations or vague words, in everything a person reads.
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, word := range []string{"quickly", "soon", "shortly", "as soon as possible", "in due course"} {
			if regexp.MustCompile(`(?i)\b` + word + `\b`).Match(b) {
				t.Errorf("%s uses %q: give a date instead", path, word)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// minimalTemplates is a working template set; tests break one file.
func minimalTemplates() fstest.MapFS {
	page := &fstest.MapFile{Data: []byte(`{{define "main"}}<h1>{{.}}</h1>{{end}}`)}
	return fstest.MapFS{
		"layout.html":         {Data: []byte(`<link href="{{asset "site.css"}}">{{template "nav" .}}{{template "main" .}}`)},
		"partials/nav.html":   {Data: []byte(`{{define "nav"}}<nav></nav>{{end}}`)},
		"pages/home.html":     page,
		"pages/charter.html":  page,
		"pages/track.html":    page,
		"pages/feedback.html": page,
	}
}

func TestParsePagesFailsFast(t *testing.T) {
	assets, err := loadAssets(fstest.MapFS{"site.css": {Data: []byte("body{}")}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"home", "charter", "track", "feedback"}
	if _, err := parsePages(minimalTemplates(), assets, want, nil); err != nil {
		t.Fatalf("the minimal set fails: %v", err)
	}
	for _, tc := range []struct {
		name, file, text, wantErr string
	}{
		{"unknown asset in the layout", "layout.html", `<link href="{{asset "sight.css"}}">{{template "main" .}}`, `unknown asset "sight.css"`},
		{"unknown asset in a page", "pages/track.html", `{{define "main"}}<img src="{{asset "logo.png"}}">{{end}}`, `unknown asset "logo.png"`},
		{"unknown asset in a branch", "partials/nav.html", `{{define "nav"}}{{if .}}{{with 1}}<b></b>{{else}}<img src="{{asset "x.svg"}}">{{end}}{{end}}{{end}}`, `unknown asset "x.svg"`},
		{"asset name not a literal", "pages/home.html", `{{define "main"}}<img src="{{asset .}}">{{end}}`, "literal name"},
		{"broken syntax", "pages/charter.html", `{{define "main"}}{{if}}{{end}}`, "missing value for if"},
		{"escaping problem", "pages/charter.html", `{{define "main"}}<a title="{{.}}{{end}}`, "non-text context"},
		{"page without main", "pages/feedback.html", `<p>hello</p>`, `does not define "main"`},
		{"missing page", "pages/feedback.html", "", "pages/feedback.html is missing"},
		{"missing layout", "layout.html", "", "layout.html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := minimalTemplates()
			if tc.text == "" {
				delete(fsys, tc.file)
			} else {
				fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.text)}
			}
			_, err := parsePages(fsys, assets, want, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestNewFailsOnUnknownAsset(t *testing.T) {
	// The real templates against a static folder without charter.css: New
	// (through loadPages) must fail, not the first page view.
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	tfs, _ := fs.Sub(templateFS, "templates")
	err := s.loadPages(fstest.MapFS{"charter.js": {Data: []byte("")}, "favicon.svg": {Data: []byte("<svg/>")}}, tfs)
	if err == nil || !strings.Contains(err.Error(), `unknown asset "charter.css"`) {
		t.Fatalf("err = %v, want unknown asset charter.css", err)
	}
}

func TestPagesWithoutDesignSystemBuild(t *testing.T) {
	// Without static/dist the pages still parse (design system links get a
	// URL that answers 404) and one warning is logged.
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	static, _ := fs.Sub(staticFS, "static")
	own := fstest.MapFS{}
	for _, name := range []string{"charter.css", "charter.js", "favicon.svg"} {
		b, err := fs.ReadFile(static, name)
		if err != nil {
			t.Fatal(err)
		}
		own[name] = &fstest.MapFile{Data: b}
	}
	tfs, _ := fs.Sub(templateFS, "templates")
	if err := s.loadPages(own, tfs); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, logs.String())
	}
	u, err := s.assets.URL("dist/css/design-system.min.css")
	if err != nil || u != "/assets/unbuilt/dist/css/design-system.min.css" {
		t.Errorf("URL = %q, %v", u, err)
	}
	if _, err := s.assets.URL("charter.cs"); err == nil {
		t.Error("a mistyped name of our own asset is accepted")
	}
}

func TestCSSURLsRewritten(t *testing.T) {
	fsys := fstest.MapFS{
		"dist/fonts/f.css":    {Data: []byte(`@font-face{src:url(f.woff2) format('woff2')} a{background:url("../img/i.svg#x")} b{background:url('data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E')} c{background:url(/elsewhere.png)}`)},
		"dist/fonts/f.woff2":  {Data: []byte("wOF2")},
		"dist/img/i.svg":      {Data: []byte("<svg/>")},
		"dist/img/unused.png": {Data: []byte("png")},
	}
	a, err := loadAssets(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if !a.HaveDist() {
		t.Error("HaveDist = false")
	}
	font, _ := a.URL("dist/fonts/f.woff2")
	img, _ := a.URL("dist/img/i.svg")
	css := string(a.files["dist/fonts/f.css"].body)
	for _, want := range []string{
		"url(" + font + ") format('woff2')",
		`url("` + img + `#x")`,
		`url('data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E')`,
		`url(/elsewhere.png)`,
	} {
		if !strings.Contains(css, want) {
			t.Errorf("rewritten CSS lacks %s:\n%s", want, css)
		}
	}
	if !regexp.MustCompile(`^/assets/[0-9a-f]{12}/dist/fonts/f\.woff2$`).MatchString(font) {
		t.Errorf("font URL %q", font)
	}

	// The stylesheet's hash follows the font's: a new font, a new CSS URL.
	before, _ := a.URL("dist/fonts/f.css")
	fsys["dist/fonts/f.woff2"] = &fstest.MapFile{Data: []byte("wOF2 v2")}
	b, err := loadAssets(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := b.URL("dist/fonts/f.css"); after == before {
		t.Error("the stylesheet kept its URL when a font it names changed")
	}

	fsys["dist/fonts/f.css"] = &fstest.MapFile{Data: []byte(`a{background:url(missing.png)}`)}
	if _, err := loadAssets(fsys); err == nil || !strings.Contains(err.Error(), "dist/fonts/missing.png") {
		t.Errorf("a url() to a missing file: err = %v", err)
	}
}

func TestGlossary(t *testing.T) {
	for _, tc := range []struct {
		text  string
		terms []string
		want  string
	}{
		{"Support you through your application.", []string{"support", "application"},
			`<a href="/charter#term-support" class="charter-term">Support</a> you through your <a href="/charter#term-application" class="charter-term">application</a>.`},
		// Whole words only; the first use is linked; plurals count.
		{"Name a supporter for applications, then support.", []string{"support", "application"},
			`Name a supporter for <a href="/charter#term-application" class="charter-term">applications</a>, then <a href="/charter#term-support" class="charter-term">support</a>.`},
		{"Ask for a re-determination, not a determination.", []string{"re-determination"},
			`Ask for a <a href="/charter#term-re-determination" class="charter-term">re-determination</a>, not a determination.`},
		// Everything else is escaped.
		{`<script>alert("x")</script> & evidence`, []string{"evidence"},
			`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; <a href="/charter#term-evidence" class="charter-term">evidence</a>`},
		// Overlapping terms: the longer wins.
		{"Your expected decision date.", []string{"decision", "expected decision date"},
			`Your <a href="/charter#term-expected-decision-date" class="charter-term">expected decision date</a>.`},
		{"No terms here.", nil, "No terms here."},
		{"A term not used.", []string{"tribunal"}, "A term not used."},
	} {
		if got := string(glossary(tc.text, tc.terms)); got != tc.want {
			t.Errorf("glossary(%q, %q)\n got: %s\nwant: %s", tc.text, tc.terms, got, tc.want)
		}
	}
}

func TestAnchors(t *testing.T) {
	for in, want := range map[string]string{
		"1.4": "commitment-1-4", "2.10": "commitment-2-10",
	} {
		if got := commitmentAnchor(in); got != want {
			t.Errorf("commitmentAnchor(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"re-determination": "term-re-determination", "accessible formats": "term-accessible-formats",
		"Working Day": "term-working-day", " odd  spacing ": "term-odd-spacing",
	} {
		if got := termAnchor(in); got != want {
			t.Errorf("termAnchor(%q) = %q, want %q", in, got, want)
		}
	}
}
