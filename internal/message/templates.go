package message

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

// Each kind of message is one file, templates/KIND.tmpl, defining its
// parts: "subject", "email" and "sms" (rendered from Notice) and "letter"
// (rendered from Letter). A message to staff needs only a subject and an
// email. templates/enclosure.tmpl defines "enclosure": the charter summary
// a letter may carry, rendered from Letter.
//
// Letters are plain text with a little markup that the letter writer lays
// out: "# " starts the title, "## " a heading, "### " a smaller one, "- " a bullet, a blank line
// ends a paragraph, and a line of "===" starts a new page.
//
//go:embed templates/*.tmpl
var templateFS embed.FS

// Templates are the parsed, checked message templates.
type Templates struct {
	kinds     map[Kind]*template.Template
	enclosure *template.Template
}

var (
	noticeType = reflect.TypeFor[Notice]()
	letterType = reflect.TypeFor[Letter]()
)

// The parts of a template and the data each is rendered from.
var parts = []struct {
	name string
	data reflect.Type
}{{"subject", noticeType}, {"email", noticeType}, {"sms", noticeType}, {"letter", letterType}}

// DefaultTemplates parses the templates built into the binary.
func DefaultTemplates() (*Templates, error) {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	return LoadTemplates(sub)
}

// LoadTemplates parses and checks KIND.tmpl for every kind, and
// enclosure.tmpl, from fsys. Every problem is reported with its file and
// line: a missing file or part, a syntax error, or a placeholder the data
// does not have (an email naming .Decision, say).
func LoadTemplates(fsys fs.FS) (*Templates, error) {
	t := &Templates{kinds: map[Kind]*template.Template{}}
	var probs []string
	common, err := parseCommon(fsys)
	if err != nil {
		return nil, fmt.Errorf("message templates:\n%w", err)
	}
	for _, k := range Kinds {
		want := []string{"subject", "email", "sms", "letter"}
		if k == KindAtRisk {
			want = []string{"subject", "email"}
		}
		tt, err := loadOne(fsys, common, string(k)+".tmpl", want)
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		t.kinds[k] = tt
	}
	tt, err := loadOne(fsys, common, "enclosure.tmpl", []string{"enclosure"})
	if err != nil {
		probs = append(probs, err.Error())
	}
	t.enclosure = tt
	if len(probs) > 0 {
		return nil, fmt.Errorf("message templates:\n%s", strings.Join(probs, "\n"))
	}
	return t, nil
}

// commonFile defines the pieces every message shares ("sign-in",
// "letter-end"…); a piece is checked with the data of each part that uses it.
const commonFile = "common.tmpl"

func parseCommon(fsys fs.FS) (*template.Template, error) {
	src, err := fs.ReadFile(fsys, commonFile)
	if err != nil {
		return nil, fmt.Errorf("%s: the template is missing", commonFile)
	}
	return template.New(commonFile).Option("missingkey=error").Parse(string(src))
}

func loadOne(fsys fs.FS, common *template.Template, name string, want []string) (*template.Template, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: the template is missing", name)
	}
	tt, err := common.Clone()
	if err != nil {
		return nil, err
	}
	if _, err = tt.New(name).Parse(string(src)); err != nil {
		return nil, err // text/template names the file and line
	}
	var probs []string
	for _, p := range want {
		if tt.Lookup(p) == nil {
			probs = append(probs, fmt.Sprintf("%s: it does not define %q", name, p))
		}
	}
	for _, def := range tt.Templates() {
		if def.Name() == name || def.Name() == commonFile || common.Lookup(def.Name()) != nil {
			continue // a file's top level holds only definitions; shared pieces are checked where used
		}
		data, ok := partData(def.Name())
		if !ok {
			probs = append(probs, fmt.Sprintf("%s: %q is not a part of a message: define only %s", name, def.Name(), strings.Join(want, ", ")))
			continue
		}
		c := checker{tree: def.Tree, file: def.Tree.ParseName, all: tt}
		c.list(def.Tree.Root, data, data)
		probs = append(probs, c.probs...)
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(probs, "\n"))
	}
	return tt, nil
}

func partData(part string) (reflect.Type, bool) {
	if part == "enclosure" {
		return letterType, true
	}
	for _, p := range parts {
		if p.name == part {
			return p.data, true
		}
	}
	return nil, false
}

// Rendered is a message ready to send.
type Rendered struct {
	Subject string
	Body    string
}

// Render renders a message for a channel: an email or a text from the
// letter's Notice only, a letter (with its enclosure, if any) from all of
// it.
func (t *Templates) Render(k Kind, ch Channel, l Letter) (Rendered, error) {
	tt, ok := t.kinds[k]
	if !ok {
		return Rendered{}, fmt.Errorf("message: no template for %q", k)
	}
	var r Rendered
	var err error
	if r.Subject, err = execute(tt, "subject", l.Notice); err != nil {
		return r, err
	}
	r.Subject = strings.Join(strings.Fields(r.Subject), " ")
	switch ch {
	case ChannelEmail, ChannelStaff, ChannelNone:
		r.Body, err = execute(tt, "email", l.Notice)
	case ChannelSMS:
		r.Body, err = execute(tt, "sms", l.Notice)
		r.Body = strings.Join(strings.Fields(r.Body), " ")
	case ChannelLetter:
		r.Body, err = execute(tt, "letter", l)
		if err == nil && l.Enclosure != nil {
			var enc string
			enc, err = execute(t.enclosure, "enclosure", l)
			r.Body += "\n===\n" + enc
		}
	default:
		err = fmt.Errorf("message: no channel %q", ch)
	}
	return r, err
}

func execute(t *template.Template, part string, data any) (string, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, part, data); err != nil {
		return "", err
	}
	return tidy(b.String()), nil
}

// tidy trims trailing spaces and runs of blank lines that template actions
// leave behind.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

// checker walks a template's parse tree with the type of dot, and reports
// every field or method that the type does not have, so that a typo in a
// placeholder — or an email that names something only a letter may say —
// fails the start, not a send.
type checker struct {
	tree  *parse.Tree
	file  string
	all   *template.Template
	probs []string
	vars  []map[string]reflect.Type
	seen  map[string]bool // template name and data type already checked
}

func (c *checker) errorf(n parse.Node, format string, args ...any) {
	loc, _ := c.tree.ErrorContext(n)
	loc = c.file + strings.TrimPrefix(loc, c.tree.ParseName)
	if i := strings.LastIndex(loc, ":"); i > len(c.file) {
		loc = loc[:i] // file:line, without the column
	}
	c.probs = append(c.probs, loc+": "+fmt.Sprintf(format, args...))
}

func (c *checker) list(l *parse.ListNode, dot, root reflect.Type) {
	if l == nil {
		return
	}
	c.vars = append(c.vars, map[string]reflect.Type{"$": root})
	defer func() { c.vars = c.vars[:len(c.vars)-1] }()
	for _, n := range l.Nodes {
		c.node(n, dot, root)
	}
}

func (c *checker) node(n parse.Node, dot, root reflect.Type) {
	switch n := n.(type) {
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot)
	case *parse.IfNode:
		c.pipe(n.Pipe, dot)
		c.list(n.List, dot, root)
		c.list(n.ElseList, dot, root)
	case *parse.WithNode:
		t := c.pipe(n.Pipe, dot)
		c.list(n.List, t, root)
		c.list(n.ElseList, dot, root)
	case *parse.RangeNode:
		t := c.pipe(n.Pipe, dot)
		elem := elemType(t)
		if len(n.Pipe.Decl) > 0 {
			c.vars[len(c.vars)-1][n.Pipe.Decl[len(n.Pipe.Decl)-1].Ident[0]] = elem
		}
		c.list(n.List, elem, root)
		c.list(n.ElseList, dot, root)
	case *parse.TemplateNode:
		t := dot
		if n.Pipe != nil {
			t = c.pipe(n.Pipe, dot)
		}
		sub := c.all.Lookup(n.Name)
		if sub == nil {
			c.errorf(n, "there is no template %q", n.Name)
			return
		}
		key := n.Name + "|" + fmt.Sprint(t)
		if c.seen == nil {
			c.seen = map[string]bool{}
		}
		if !c.seen[key] {
			c.seen[key] = true
			inner := checker{tree: sub.Tree, file: sub.Tree.ParseName, all: c.all, seen: c.seen}
			inner.list(sub.Tree.Root, t, t)
			c.probs = append(c.probs, inner.probs...)
		}
	}
}

// pipe checks a pipeline and returns the type it yields (nil if unknown).
func (c *checker) pipe(p *parse.PipeNode, dot reflect.Type) reflect.Type {
	if p == nil {
		return nil
	}
	var t reflect.Type
	for _, cmd := range p.Cmds {
		t = c.command(cmd, dot)
	}
	for _, d := range p.Decl {
		c.vars[len(c.vars)-1][d.Ident[0]] = t
	}
	return t
}

func (c *checker) command(cmd *parse.CommandNode, dot reflect.Type) reflect.Type {
	var t reflect.Type
	for i, arg := range cmd.Args {
		at := c.arg(arg, dot)
		if i == 0 {
			t = at
		}
	}
	if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok {
		return funcResult(id.Ident)
	}
	return t
}

func (c *checker) arg(n parse.Node, dot reflect.Type) reflect.Type {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return c.fields(n, dot, n.Ident)
	case *parse.VariableNode:
		t, ok := c.lookupVar(n.Ident[0])
		if !ok {
			c.errorf(n, "unknown variable %s", n.Ident[0])
			return nil
		}
		return c.fields(n, t, n.Ident[1:])
	case *parse.ChainNode:
		return c.fields(n, c.arg(n.Node, dot), n.Field)
	case *parse.PipeNode:
		return c.pipe(n, dot)
	case *parse.StringNode:
		return reflect.TypeFor[string]()
	case *parse.BoolNode:
		return reflect.TypeFor[bool]()
	case *parse.NumberNode:
		return reflect.TypeFor[int]()
	}
	return nil
}

func (c *checker) lookupVar(name string) (reflect.Type, bool) {
	for i := len(c.vars) - 1; i >= 0; i-- {
		if t, ok := c.vars[i][name]; ok {
			return t, true
		}
	}
	return nil, false
}

// fields resolves a chain of field or method names on t.
func (c *checker) fields(n parse.Node, t reflect.Type, names []string) reflect.Type {
	for _, name := range names {
		if t == nil {
			return nil // unknown: an interface or a function's result
		}
		next, ok := member(t, name)
		if !ok {
			c.errorf(n, "unknown placeholder .%s: %s has no %s%s", name, typeName(t), name, hint(t))
			return nil
		}
		t = next
	}
	return t
}

// member is the type of t's field or method name.
func member(t reflect.Type, name string) (reflect.Type, bool) {
	if m, ok := t.MethodByName(name); ok && m.Type.NumOut() > 0 {
		return m.Type.Out(0), true
	}
	if t.Kind() != reflect.Pointer {
		if m, ok := reflect.PointerTo(t).MethodByName(name); ok && m.Type.NumOut() > 0 {
			return m.Type.Out(0), true
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if f, ok := t.FieldByName(name); ok && f.IsExported() {
			return f.Type, true
		}
	case reflect.Map:
		return t.Elem(), true
	}
	return nil, false
}

func elemType(t reflect.Type) reflect.Type {
	if t == nil {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return t.Elem()
	}
	return nil
}

func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case noticeType:
		return "an email or a text message"
	case letterType:
		return "a letter"
	}
	return path.Base(t.PkgPath()) + "." + t.Name()
}

// hint lists what an email or a text may use, when one names something
// it may not.
func hint(t reflect.Type) string {
	if t != noticeType {
		return ""
	}
	var names []string
	for f := range t.Fields() {
		names = append(names, "."+f.Name)
	}
	slices.Sort(names)
	return " (an email or a text may use only " + strings.Join(names, ", ") + ": nothing sensitive)"
}

// funcResult is the type a built-in template function yields, where it
// matters for checking what follows it.
func funcResult(string) reflect.Type { return nil }

// TemplateFS is the built-in templates, for a staff page or a test that
// wants the sources.
func TemplateFS() fs.FS { return templateFS }
