package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"text/template/parse"
	"unicode"
	"unicode/utf8"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure/report"
)

// templateFS holds layout.html (the page frame), partials/*.html (pieces
// the layout and pages share) and pages/*.html (one per page, each defining
// "main").
//
//go:embed templates
var templateFS embed.FS

// ServiceName is the name in the header and in every page title.
const ServiceName = "Your payments and our charter"

// pageNames are the pages the handlers render. A missing one fails New.
var pageNames = []string{"home", "charter", "track", "feedback", "accessibility", "error", "report", "report-easy-read", "report-years", "staff-improvement", "staff-improvement-form",
	"sign-in-code", "signed-out", "staff-sign-in", "application", "redetermination",
	"staff-queue", "staff-case", "staff-outbox", "staff-performance", "staff-practitioners", "staff-directory",
	"staff-messages", "staff-message-preview", "charter-history",
	"feedback-form", "feedback-sent", "staff-complaints", "staff-complaint", "staff-feedback",
	"staff-reviews", "staff-review-findings", "staff-review-responses", "staff-review-comment", "staff-draft"}

// Chrome is what the page frame needs on every page, built by chrome.
type Chrome struct {
	ServiceName string
	Title       string // the <title> (before the service name) and, usually, the <h1>
	Path        string // the current path, to mark the current navigation item
	CSRFToken   string // the hidden "csrf_token" field of every POST form
	SignedIn    bool
	Name        string // who is signed in, as the header shows them
	Role        string
	Supporting  string // for a supporter: the reference of the application they help with
	Navigation  []NavItem
	Flash       string // a one-off message, such as "You have signed out"
}

// NavItem is one link in the site navigation.
type NavItem struct {
	Label, URL string
	Current    bool
}

var navigation = []NavItem{
	{Label: "Home", URL: "/"},
	{Label: "Our charter", URL: "/charter"},
	{Label: "How we are doing", URL: "/report"},
	{Label: "Track your application", URL: "/track"},
	{Label: "Feedback and complaints", URL: "/feedback"},
}

// chrome builds the page frame's data for a request.
func (s *Server) chrome(r *http.Request, title string) Chrome {
	c := Chrome{ServiceName: ServiceName, Title: title, Path: r.URL.Path}
	for _, n := range navigation {
		n.Current = n.URL == r.URL.Path || (n.URL != "/" && strings.HasPrefix(r.URL.Path, n.URL+"/"))
		c.Navigation = append(c.Navigation, n)
	}
	// Visitors who have not signed in have a CSRF token too: the sign-in
	// forms are POSTs.
	c.CSRFToken = s.csrfToken(r)
	if sess := s.currentSession(r); sess != nil {
		c.SignedIn, c.Name, c.Role = true, sess.Name, sess.Role
		if isSupporter(sess) { // pages_supporters.go
			c.Supporting = sess.Reference
		}
	}
	return c
}

// pageSet is the parsed templates: one complete template per page.
type pageSet map[string]*template.Template

// setUpPages loads the assets and parses the templates embedded in the
// binary.
func (s *Server) setUpPages() error {
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return err
	}
	templates, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return err
	}
	return s.loadPages(static, templates)
}

// loadPages loads the assets in static and parses the templates in
// templates, logging once if the design system has not been built.
func (s *Server) loadPages(static, templates fs.FS) error {
	var err error
	if s.assets, err = loadAssets(static); err != nil {
		return err
	}
	if !s.assets.HaveDist() {
		s.log.Warn("the design system's assets are not built: pages will be unstyled until you run make assets and rebuild")
	}
	s.pages, err = parsePages(templates, s.assets, pageNames, s.commitmentNumber)
	return err
}

// parsePages parses layout.html, partials/*.html and each of pages/*.html
// from fsys, and checks that every page in want is there and that every
// asset the templates name exists, so a typo fails the start, not a page
// view.
func parsePages(fsys fs.FS, assets *Assets, want []string, number func(key string) string) (pageSet, error) {
	if number == nil {
		number = func(key string) string { return key }
	}
	base := template.New("layout.html").Funcs(funcs(assets, number))
	base, err := base.ParseFS(fsys, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	if partials, _ := fs.Glob(fsys, "partials/*.html"); len(partials) > 0 {
		if base, err = base.ParseFS(fsys, "partials/*.html"); err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
	}
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	pages := pageSet{}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		t, err := template.Must(base.Clone()).ParseFS(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if t.Lookup("main") == nil {
			return nil, fmt.Errorf("templates: %s does not define \"main\"", file)
		}
		if err := checkAssets(t, assets); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", file, err)
		}
		// html/template works out its escaping at the first execution, so
		// do one now: an escaping problem (an unclosed attribute, say)
		// fails the start. Execution errors from the missing data are
		// expected and ignored.
		var escErr *template.Error
		if err := t.ExecuteTemplate(io.Discard, "layout.html", nil); errors.As(err, &escErr) {
			return nil, fmt.Errorf("templates: %s: %w", file, err)
		}
		pages[name] = t
	}
	for _, name := range want {
		if pages[name] == nil {
			return nil, fmt.Errorf("templates: pages/%s.html is missing", name)
		}
	}
	return pages, nil
}

// checkAssets finds every {{asset "name"}} in t's templates and checks the
// name exists. asset must be given a literal name so that this can work.
func checkAssets(t *template.Template, assets *Assets) error {
	var problems []error
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		walkNodes(tt.Tree.Root, func(cmd *parse.CommandNode) {
			if len(cmd.Args) == 0 {
				return
			}
			if id, ok := cmd.Args[0].(*parse.IdentifierNode); !ok || id.Ident != "asset" {
				return
			}
			if len(cmd.Args) != 2 {
				problems = append(problems, fmt.Errorf("template %q: asset takes one literal name: %s", tt.Name(), cmd))
				return
			}
			lit, ok := cmd.Args[1].(*parse.StringNode)
			if !ok {
				problems = append(problems, fmt.Errorf("template %q: asset takes a literal name, so it can be checked at start-up: %s", tt.Name(), cmd))
				return
			}
			if _, err := assets.URL(lit.Text); err != nil {
				problems = append(problems, fmt.Errorf("template %q: %w", tt.Name(), err))
			}
		})
	}
	return errors.Join(problems...)
}

// walkNodes calls fn for every command in the tree under n.
func walkNodes(n parse.Node, fn func(*parse.CommandNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkNodes(c, fn)
		}
	case *parse.ActionNode:
		walkNodes(n.Pipe, fn)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkNodes(c, fn)
		}
	case *parse.CommandNode:
		fn(n)
		for _, a := range n.Args {
			walkNodes(a, fn)
		}
	case *parse.ChainNode:
		walkNodes(n.Node, fn)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.TemplateNode:
		walkNodes(n.Pipe, fn)
	}
}

func walkBranch(b *parse.BranchNode, fn func(*parse.CommandNode)) {
	walkNodes(b.Pipe, fn)
	walkNodes(b.List, fn)
	if b.ElseList != nil {
		walkNodes(b.ElseList, fn)
	}
}

func funcs(assets *Assets, number func(key string) string) template.FuncMap {
	return funcsWith(assets.URL, number)
}

// funcsWith are the template functions, with asset giving each asset's URL
// and number the number a commitment has in the current charter, from its
// stable key (nil: the key as given).
func funcsWith(asset func(string) (string, error), number func(key string) string) template.FuncMap {
	if number == nil {
		number = func(key string) string { return key }
	}
	return template.FuncMap{
		"asset": asset,
		// commitmentNumber is the number a commitment has in the current
		// charter, from its stable key: pages name commitments by key.
		"commitmentNumber": number,
		"date": func(d calendar.Date) string {
			if d.IsZero() {
				return ""
			}
			return d.Long()
		},
		"commitmentAnchor": commitmentAnchor,
		"commitmentURL":    func(id string) string { return "/charter#" + commitmentAnchor(id) },
		"termAnchor":       termAnchor,
		"termURL":          func(term string) string { return "/charter#" + termAnchor(term) },
		"glossary":         glossary,
		"dateInput":        dateInput,
		"criterionAnswer":  criterionAnswer,
		"sentence":         sentence,
		"capital":          asSentence,
		"complaintForm":    complaintForm,
		"reviewChoices":    reviewChoices,
		"lower":            strings.ToLower,
		"sub1":             func(n int) int { return n - 1 },
		"status":           func(s string) statusView { return statusOf(report.Status(s)) },
	}
}

// sentence gives a phrase a capital and a full stop: "reworded" →
// "Reworded.".
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// commitmentNumber is the number of the commitment with this key in the
// current charter, or the key itself if there is none.
func (s *Server) commitmentNumber(key string) string {
	if ch, err := s.svc.Charter(); err == nil {
		if c, ok := ch.CommitmentByKey(key); ok {
			return c.ID
		}
	}
	return key
}

// commitmentAnchor is the id of a commitment on the charter page:
// "1.4" → "commitment-1-4".
func commitmentAnchor(id string) string { return "commitment-" + slug(id) }

// termAnchor is the id of a glossary entry: "re-determination" →
// "term-re-determination", "accessible formats" → "term-accessible-formats".
func termAnchor(term string) string { return "term-" + slug(term) }

// slug lowercases s and turns each run of other characters than letters
// and digits into one hyphen.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		} else {
			hyphen = true
		}
	}
	return b.String()
}

// glossary returns text as HTML with the first use of each of terms linked
// to its glossary entry on the charter page. Matching ignores case, takes
// whole words only ("support" does not match inside "supporter") and
// allows a plural "s" ("applications"). Everything else is escaped.
func glossary(text string, terms []string) template.HTML {
	type match struct {
		start, end int
		term       string
	}
	var found []match
	lower := strings.ToLower(text)
	for _, term := range terms {
		t := strings.ToLower(strings.TrimSpace(term))
		if t == "" {
			continue
		}
		for from := 0; from < len(lower); {
			i := strings.Index(lower[from:], t)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(t)
			if end < len(lower) && lower[end] == 's' && !isWordByte(lower, end+1) {
				end++
			}
			if !isWordBefore(lower, start) && !isWordByte(lower, end) {
				found = append(found, match{start, end, term})
				break
			}
			from = start + 1
		}
	}
	// Earliest first; where two overlap, the longer one wins.
	slices.SortFunc(found, func(a, b match) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return (b.end - b.start) - (a.end - a.start)
	})
	var out strings.Builder
	pos := 0
	for _, m := range found {
		if m.start < pos {
			continue
		}
		out.WriteString(template.HTMLEscapeString(text[pos:m.start]))
		fmt.Fprintf(&out, `<a href="/charter#%s" class="charter-term">%s</a>`,
			template.HTMLEscapeString(termAnchor(m.term)), template.HTMLEscapeString(text[m.start:m.end]))
		pos = m.end
	}
	out.WriteString(template.HTMLEscapeString(text[pos:]))
	return template.HTML(out.String()) // every piece above is escaped or fixed markup
}

// isWordByte reports whether the character at i is part of a word (letters,
// digits and hyphens, so "determination" is not found in "re-determination").
func isWordByte(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'
}

func isWordBefore(s string, i int) bool {
	if i <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'
}

// securityHeaders are set on every HTML page. The policy allows nothing
// from other sites: assets are ours, and the design system's CSS uses data:
// images.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	// Pages may show who is signed in and carry a CSRF token: never store them.
	h.Set("Cache-Control", "no-store")
}

// render writes a page. It executes the template into a buffer first, so a
// template error becomes a clean error page, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, view any) {
	var buf bytes.Buffer
	t := s.pages[page]
	err := fmt.Errorf("no template for page %q", page)
	if t != nil {
		err = t.ExecuteTemplate(&buf, "layout.html", view)
	}
	if err != nil {
		s.log.Error("render page", "request_id", requestID(r.Context()), "page", page, "error", err)
		if page == "error" {
			http.Error(w, "Sorry, there is a problem with the service. Request id: "+requestID(r.Context()), http.StatusInternalServerError)
			return
		}
		s.renderError(w, r, http.StatusInternalServerError)
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// errorView is the error page. Its words are in pages/error.html, by status.
type errorView struct {
	Chrome    Chrome
	Status    int
	Message   string // what went wrong, in words for a person; empty for internal errors
	RequestID string
}

var errorTitles = map[int]string{
	http.StatusBadRequest:            "There is a problem with that request",
	http.StatusUnauthorized:          "Sign in to see this page",
	http.StatusForbidden:             "You cannot see this page",
	http.StatusNotFound:              "Page not found",
	http.StatusConflict:              "Someone else changed this first",
	http.StatusRequestEntityTooLarge: "That was too much to send at once",
	http.StatusTooManyRequests:       "Too many tries",
	http.StatusInternalServerError:   "Sorry, there is a problem with the service",
}

// renderError writes the HTML error page for a status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, code int) {
	s.renderErrorMessage(w, r, code, "")
}

// renderErrorMessage writes the error page with a message for the person.
func (s *Server) renderErrorMessage(w http.ResponseWriter, r *http.Request, code int, message string) {
	title, ok := errorTitles[code]
	if !ok {
		code, title = http.StatusInternalServerError, errorTitles[http.StatusInternalServerError]
	}
	s.render(w, r, code, "error", errorView{Chrome: s.chrome(r, title), Status: code, Message: message, RequestID: requestID(r.Context())})
}

// pageError shows err as an HTML error page: the status comes from its
// kind, and an internal error is logged with the request id, which is all
// the page shows.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.KindInternal {
		s.log.Error("internal error", "request_id", requestID(r.Context()), "route", r.Pattern, "error", err)
		s.renderError(w, r, http.StatusInternalServerError)
		return
	}
	msg := e.Message
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
	}
	s.renderErrorMessage(w, r, status(e.Kind), msg)
}
