package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// The improvement plan, for managers and admins: improvement actions with
// their progress notes, what each measure's figures mean, qualitative
// evidence, and "you said, we did". Each form checks everything at once,
// names every problem in the error summary, keeps what was typed, and
// writes nothing until there are none. The published report shows them.

func (s *Server) registerImprovementPages() {
	manager := s.requireStaff(app.RoleManager, app.RoleAdmin)
	s.handle("GET", "/staff/improvement", manager(s.improvementPage))
	s.handle("GET", "/staff/improvement/actions/new", manager(s.newActionPage))
	s.handle("POST", "/staff/improvement/actions", manager(s.addAction))
	s.handle("GET", "/staff/improvement/actions/{id}", manager(s.editActionPage))
	s.handle("POST", "/staff/improvement/actions/{id}", manager(s.updateAction))
	s.handle("GET", "/staff/improvement/narrative", manager(s.narrativePage))
	s.handle("POST", "/staff/improvement/narrative", manager(s.saveNarrative))
	s.handle("GET", "/staff/improvement/evidence", manager(s.evidencePage))
	s.handle("POST", "/staff/improvement/evidence", manager(s.addEvidence))
	s.handle("GET", "/staff/improvement/you-said", manager(s.youSaidPage))
	s.handle("POST", "/staff/improvement/you-said", manager(s.addYouSaid))
}

// staffName is who the store records as having written something.
func (s *Server) staffName(r *http.Request) string {
	if sess := s.currentSession(r); sess != nil {
		return sess.Name
	}
	return ""
}

// ---- The overview ----

type improvementView struct {
	Chrome        Chrome
	Staff         []NavItem
	Saved         string
	Year          string
	ReportURL     string
	Problem       string // why the year's figures could not be shown
	WithoutAction []measureLink
	Actions       []actionRow
}

type actionRow struct {
	ID, What, Owner, EditURL string
	Due                      calendar.Date
	Status                   statusView
	Notes                    int
}

// savedWords are the messages after each form is saved.
var savedWords = map[string]string{
	"action": "The improvement action is saved.", "narrative": "What the figures mean is saved.",
	"evidence": "The evidence is added.", "you-said": "The \"you said, we did\" entry is added.",
}

func (s *Server) improvementPage(w http.ResponseWriter, r *http.Request) {
	v := improvementView{Chrome: s.chrome(r, "Improvement plan"), Staff: s.staffNav(r), Saved: savedWords[r.URL.Query().Get("saved")]}
	year := measure.YearOf(s.svc.Today().AddDays(-1))
	v.Year, v.ReportURL = year.String(), reportPath(year)
	if rep, err := s.svc.Report(r.Context(), year); err != nil {
		e, ok := errs.As(err)
		if !ok || e.Kind == errs.KindInternal {
			s.pageError(w, r, err)
			return
		}
		v.Problem = asSentence(e.Message) + "."
	} else {
		for _, m := range rep.WithoutAction {
			v.WithoutAction = append(v.WithoutAction, measureLink{ID: m.Def.ID, Question: m.Def.Question, Commitments: m.Def.Commitments,
				Value: figureWords(m.Def, m.Value), Target: targetWords(m.Def), Status: statusOf(m.Status)})
		}
	}
	actions, err := s.svc.Actions(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, a := range actions {
		v.Actions = append(v.Actions, actionRow{ID: a.ID, What: a.What, Owner: a.Owner, Due: a.Due, Status: actionStatuses[a.Status],
			Notes: len(a.Progress), EditURL: "/staff/improvement/actions/" + a.ID})
	}
	s.render(w, r, http.StatusOK, "staff-improvement", v)
}

// ---- One form template for every form here ----

// formView is a form of the improvement plan: staff-improvement-form.html
// renders its fields in order, each with its error.
type formView struct {
	Chrome   Chrome
	Staff    []NavItem
	Heading  string
	Intro    string
	Action   string // where the form posts
	Submit   string
	Version  int                   // an action's version, for editing; 0 for none
	Progress []report.ProgressNote // an action's notes so far
	Fields   []formField
	Errors
}

// formField is one question of a form.
type formField struct {
	Kind                string // text, textarea, select, checkboxes, date
	ID, Name, Label     string
	Hint, Error, Value  string
	Rows                int
	Options             []formOption
	Day, Month, YearStr string // a date as typed
}

type formOption struct {
	ID, Value, Label string
	Selected         bool
}

// DateView is a date field as the date-input partial takes it.
func (f formField) DateView() dateInputView {
	return dateInput(f.ID, f.Name, f.Label, f.Hint, f.Error, f.Day, f.Month, f.YearStr)
}

// field returns the field with the given name.
func (v *formView) field(name string) *formField {
	for i := range v.Fields {
		if v.Fields[i].Name == name {
			return &v.Fields[i]
		}
	}
	return nil
}

// fail adds a problem with a field, by the field's name.
func (v *formView) fail(name, message string) {
	f := v.field(name)
	if f == nil {
		f = &v.Fields[0]
	}
	id := f.ID
	if f.Kind == "date" {
		id += "-day"
	}
	if f.Error == "" {
		f.Error = message
	}
	v.Errors = append(v.Errors, FieldError{id, message})
}

// sortErrors puts the problems in the order of the fields, as the error
// summary lists them.
func (v *formView) sortErrors() {
	pos := func(id string) int {
		for i, f := range v.Fields {
			if id == f.ID || id == f.ID+"-day" {
				return i
			}
		}
		return len(v.Fields)
	}
	slices.SortStableFunc(v.Errors, func(a, b FieldError) int { return pos(a.Field) - pos(b.Field) })
}

// failWith adds the domain's problems (errs.Invalid errors naming a field,
// joined) to the form; fields maps the domain's names to the form's. It
// reports whether err was such a problem; other errors are for pageError.
func (v *formView) failWith(err error, fields map[string]string) bool {
	var all []error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		all = append(all, e)
	}
	walk(err)
	for _, e := range all {
		de, ok := errs.As(e)
		if !ok || (de.Kind != errs.KindInvalid) {
			return false
		}
	}
	for _, e := range all {
		de, _ := errs.As(e)
		name, ok := fields[de.Field]
		if !ok {
			name = de.Field
		}
		v.fail(name, asSentence(de.Message))
	}
	v.sortErrors()
	return true
}

func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, v formView) {
	v.Chrome = s.chrome(r, titled(v.Heading, v.Errors))
	v.Staff = s.staffNav(r)
	s.render(w, r, status, "staff-improvement-form", v)
}

// postedDate reads a date typed into a date field.
func postedDate(r *http.Request, f *formField, what, example string) (calendar.Date, string) {
	f.Day, f.Month, f.YearStr = postedValue(r, f.Name+"-day"), postedValue(r, f.Name+"-month"), postedValue(r, f.Name+"-year")
	return parseDateFields(f.Day, f.Month, f.YearStr, what, example)
}

func dateValues(d calendar.Date) (string, string, string) {
	if d.IsZero() {
		return "", "", ""
	}
	y, m, dd := d.Date()
	return strconv.Itoa(dd), strconv.Itoa(int(m)), strconv.Itoa(y)
}

// measureOptions are the measures to choose from, as checkboxes or a list.
func (s *Server) measureOptions(prefix string, chosen []string) ([]formOption, error) {
	set, err := s.svc.Measures()
	if err != nil {
		return nil, err
	}
	var out []formOption
	for _, m := range set.Measures {
		out = append(out, formOption{ID: prefix + "-" + m.ID, Value: m.ID, Label: m.Question + " (" + strings.Join(m.Commitments, ", ") + ")",
			Selected: slices.Contains(chosen, m.ID)})
	}
	return out, nil
}

func (s *Server) commitmentOptions(prefix string, chosen []string) ([]formOption, error) {
	ch, err := s.svc.Charter()
	if err != nil {
		return nil, err
	}
	var out []formOption
	for _, sec := range ch.Sections {
		for _, c := range sec.Commitments {
			out = append(out, formOption{ID: prefix + "-" + slug(c.ID), Value: c.ID, Label: c.ID + " " + c.Text, Selected: slices.Contains(chosen, c.ID)})
		}
	}
	return out, nil
}

// firstOptionID gives a checkbox group the id its first box has, so the
// error summary's link lands on it.
func firstOptionID(f *formField) {
	if len(f.Options) > 0 {
		f.Options[0].ID = f.ID
	}
}

// ---- Improvement actions ----

var actionFields = map[string]string{"what": "what", "owner": "owner", "due": "due", "status": "status",
	"progress": "note", "measures": "measures", "commitments": "commitments"}

// actionForm is the form for an action, with a's values (nil: a new one).
func (s *Server) actionForm(r *http.Request, a *app.ActionRecord) (formView, error) {
	v := formView{Heading: "Add an improvement action", Action: "/staff/improvement/actions", Submit: "Add the action",
		Intro: "Say what will change where we fall short, who is responsible and by when. Link it to the measures and commitments it should improve: a measure we miss shows its actions in the report."}
	var cur report.Action
	if a != nil {
		cur = a.Action
		v.Heading, v.Action, v.Submit, v.Version, v.Progress = "Change an improvement action", "/staff/improvement/actions/"+a.ID, "Save the changes", a.Version, a.Progress
		v.Intro = "Change the action's details, and add a note of how it is going. Notes already recorded stay as they are."
	} else if m := r.URL.Query().Get("measure"); m != "" {
		cur.Measures = []string{m}
	}
	ms, err := s.measureOptions("action-measures", cur.Measures)
	if err != nil {
		return v, err
	}
	cs, err := s.commitmentOptions("action-commitments", cur.Commitments)
	if err != nil {
		return v, err
	}
	var statuses []formOption
	for _, st := range report.ActionStatuses {
		statuses = append(statuses, formOption{Value: string(st), Label: actionStatuses[st].Label, Selected: st == cur.Status})
	}
	d, m, y := dateValues(cur.Due)
	v.Fields = []formField{
		{Kind: "textarea", ID: "action-what", Name: "what", Label: "What will change", Rows: 3, Value: cur.What,
			Hint: "In a sentence a client would understand, for example: Send every client an update at least every three weeks."},
		{Kind: "text", ID: "action-owner", Name: "owner", Label: "Who is responsible", Value: cur.Owner, Hint: "A role or a team, not a person's name."},
		{Kind: "date", ID: "action-due", Name: "due", Label: "To be done by", Hint: "For example, 30 9 2026", Day: d, Month: m, YearStr: y},
		{Kind: "select", ID: "action-status", Name: "status", Label: "Status", Options: append([]formOption{{Value: "", Label: "Choose a status"}}, statuses...)},
		{Kind: "checkboxes", ID: "action-measures", Name: "measures", Label: "The measures it should improve", Options: ms,
			Hint: "Choose at least one measure or commitment."},
		{Kind: "checkboxes", ID: "action-commitments", Name: "commitments", Label: "The commitments it is about", Options: cs},
	}
	if a != nil {
		v.Fields = append(v.Fields,
			formField{Kind: "textarea", ID: "action-note", Name: "note", Label: "A note of how it is going (optional)", Rows: 3,
				Hint: "Added to the notes above, with the date below."},
			formField{Kind: "date", ID: "action-note-on", Name: "note-on", Label: "Date of the note", Hint: "For example, 2 3 2026"})
	}
	for i := range v.Fields {
		firstOptionID(&v.Fields[i])
	}
	return v, nil
}

func (s *Server) newActionPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.actionForm(r, nil)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, v)
}

func (s *Server) editActionPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.Action(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v, err := s.actionForm(r, &a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, v)
}

// readAction reads the action form into v (to show again) and a.
func readAction(r *http.Request, v *formView, a *report.Action) {
	r.ParseForm()
	v.field("what").Value, v.field("owner").Value = postedValue(r, "what"), postedValue(r, "owner")
	a.What, a.Owner = v.field("what").Value, v.field("owner").Value
	due, msg := postedDate(r, v.field("due"), "the date it will be done by", "30 9 2026")
	if msg != "" {
		v.fail("due", msg)
	}
	a.Due = due
	a.Status = report.ActionStatus(postedValue(r, "status"))
	for i := range v.field("status").Options {
		o := &v.field("status").Options[i]
		o.Selected = o.Value == string(a.Status)
	}
	a.Measures, a.Commitments = r.PostForm["measures"], r.PostForm["commitments"]
	for _, name := range []string{"measures", "commitments"} {
		f := v.field(name)
		for i := range f.Options {
			f.Options[i].Selected = slices.Contains(r.PostForm[name], f.Options[i].Value)
		}
	}
}

func (s *Server) addAction(w http.ResponseWriter, r *http.Request) {
	v, err := s.actionForm(r, nil)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var a report.Action
	readAction(r, &v, &a)
	if a.Status == "" {
		a.Status = "none" // named by the domain's check, with the others
	}
	if len(v.Errors) == 0 {
		_, err = s.svc.AddAction(r.Context(), a, s.staffName(r))
	} else {
		// Check the rest too, so every problem is listed at once.
		a.Due = calendar.NewDate(2000, 1, 1)
		err = a.Validate(mustSet(s), mustCharter(s))
	}
	if s.formFailed(w, r, v, err, actionFields) {
		return
	}
	http.Redirect(w, r, "/staff/improvement?saved=action", http.StatusSeeOther)
}

func (s *Server) updateAction(w http.ResponseWriter, r *http.Request) {
	old, err := s.svc.Action(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v, err := s.actionForm(r, &old)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || version < 1 {
		s.renderErrorMessage(w, r, http.StatusBadRequest,
			"The form did not say which version of the action it was filled in on. Go back, reload the page and try again.")
		return
	}
	a := old.Action
	readAction(r, &v, &a)
	if a.Status == "" {
		a.Status = "none"
	}
	a.Progress = slices.Clone(old.Progress)
	note := postedValue(r, "note")
	v.field("note").Value = note
	on, msg := postedDate(r, v.field("note-on"), "the date of the note", "2 3 2026")
	switch {
	case note == "" && (v.field("note-on").Day != "" || v.field("note-on").Month != "" || v.field("note-on").YearStr != ""):
		v.fail("note", "Write the note, or clear its date")
	case note != "" && msg != "":
		v.fail("note-on", msg)
	case note != "" && on.After(s.svc.Today()):
		v.fail("note-on", "The date of the note cannot be in the future")
	case note != "":
		a.Progress = append(a.Progress, report.ProgressNote{On: on, Text: note})
	}
	v.Version = version
	if len(v.Errors) == 0 {
		err = s.svc.UpdateAction(r.Context(), a, version, s.staffName(r))
	} else {
		if a.Due.IsZero() {
			a.Due = calendar.NewDate(2000, 1, 1)
		}
		a.Progress = old.Progress
		err = a.Validate(mustSet(s), mustCharter(s))
	}
	if s.formFailed(w, r, v, err, actionFields) {
		return
	}
	http.Redirect(w, r, "/staff/improvement?saved=action", http.StatusSeeOther)
}

// formFailed shows the form again with its problems and reports true when
// there are any (the form's own, or err's); err of another kind is shown
// as an error page. Nothing was written in either case.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, v formView, err error, fields map[string]string) bool {
	if err != nil && !v.failWith(err, fields) {
		if errs.KindOf(err) == errs.KindConflict {
			msg := err.Error()
			if de, ok := errs.As(err); ok {
				msg = de.Message
			}
			v.Errors = append(Errors{{v.Fields[0].ID, asSentence(msg)}}, v.Errors...)
			s.renderForm(w, r, http.StatusConflict, v)
			return true
		}
		s.pageError(w, r, err)
		return true
	}
	if len(v.Errors) > 0 {
		v.sortErrors()
		s.renderForm(w, r, http.StatusBadRequest, v)
		return true
	}
	return false
}

func mustSet(s *Server) *measure.Set {
	set, _ := s.svc.Measures()
	return set
}

func mustCharter(s *Server) *charter.Charter {
	ch, _ := s.svc.Charter()
	return ch
}

// ---- Narratives ----

var narrativeFields = map[string]string{"measure": "measure", "period": "year", "text": "text"}

func (s *Server) narrativeForm(r *http.Request, measureID, year, text string) (formView, error) {
	v := formView{Heading: "Say what a measure's figures mean", Action: "/staff/improvement/narrative", Submit: "Save",
		Intro: "Explain a year's figures in plain words: what happened and why. The report shows it under the measure."}
	ms, err := s.measureOptions("narrative-measure", []string{measureID})
	if err != nil {
		return v, err
	}
	years, err := s.svc.ReportYears(r.Context())
	if err != nil {
		return v, err
	}
	var ys []formOption
	for i := len(years) - 1; i >= 0; i-- {
		ys = append(ys, formOption{Value: years[i].String(), Label: years[i].String() + " (" + years[i].Long() + ")", Selected: years[i].String() == year})
	}
	v.Fields = []formField{
		{Kind: "select", ID: "narrative-measure", Name: "measure", Label: "Measure", Options: append([]formOption{{Value: "", Label: "Choose a measure"}}, ms...)},
		{Kind: "select", ID: "narrative-year", Name: "year", Label: "Year", Options: append([]formOption{{Value: "", Label: "Choose a year"}}, ys...)},
		{Kind: "textarea", ID: "narrative-text", Name: "text", Label: "What the figures mean", Rows: 5, Value: text,
			Hint: "Leave it empty to remove what was said before."},
	}
	return v, nil
}

func (s *Server) narrativePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	text := ""
	if year, err := measure.ParsePeriod(q.Get("year")); err == nil && q.Get("measure") != "" {
		n, err := s.svc.Narratives(r.Context(), year)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		text = n[q.Get("measure")]
	}
	v, err := s.narrativeForm(r, q.Get("measure"), q.Get("year"), text)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, v)
}

func (s *Server) saveNarrative(w http.ResponseWriter, r *http.Request) {
	m, y, text := postedValue(r, "measure"), postedValue(r, "year"), postedValue(r, "text")
	v, err := s.narrativeForm(r, m, y, text)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	year, perr := measure.ParsePeriod(y)
	if y == "" {
		year = measure.Period{}
	} else if perr != nil {
		year = measure.Period{Year: 1, Quarter: 1} // refused below, with the others
	}
	err = s.svc.SetNarrative(r.Context(), m, year, text, s.staffName(r))
	if s.formFailed(w, r, v, err, narrativeFields) {
		return
	}
	http.Redirect(w, r, "/staff/improvement?saved=narrative", http.StatusSeeOther)
}

// ---- Evidence ----

var evidenceFields = map[string]string{"text": "text", "source": "source", "on": "on", "commitment": "commitment"}

func (s *Server) evidenceForm(e report.Evidence) (formView, error) {
	v := formView{Heading: "Add evidence about a commitment", Action: "/staff/improvement/evidence", Submit: "Add the evidence",
		Intro: "Record what people told us, or what we found, about how we keep a commitment: from a workshop, an interview, a partner organisation or our own records. The report shows it under the commitment for the year of its date."}
	cs, err := s.commitmentOptions("evidence-commitment", []string{e.Commitment})
	if err != nil {
		return v, err
	}
	d, m, y := dateValues(e.On)
	v.Fields = []formField{
		{Kind: "select", ID: "evidence-commitment", Name: "commitment", Label: "Commitment", Options: append([]formOption{{Value: "", Label: "Choose a commitment"}}, cs...)},
		{Kind: "textarea", ID: "evidence-text", Name: "text", Label: "What was said or found", Rows: 4, Value: e.Text,
			Hint: "Never a person's name or anything that could identify them."},
		{Kind: "text", ID: "evidence-source", Name: "source", Label: "Where it came from", Value: e.Source, Hint: "For example, client workshop or partner survey."},
		{Kind: "date", ID: "evidence-on", Name: "on", Label: "When it was said or found", Hint: "For example, 12 11 2025", Day: d, Month: m, YearStr: y},
	}
	return v, nil
}

func (s *Server) evidencePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.evidenceForm(report.Evidence{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, v)
}

func (s *Server) addEvidence(w http.ResponseWriter, r *http.Request) {
	e := report.Evidence{Commitment: postedValue(r, "commitment"), Text: postedValue(r, "text"), Source: postedValue(r, "source")}
	v, err := s.evidenceForm(e)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	on, msg := postedDate(r, v.field("on"), "the date it was said or found", "12 11 2025")
	e.On = on
	if msg != "" {
		v.fail("on", msg)
		e.On = calendar.NewDate(2000, 1, 1)
		err = e.Validate(mustCharter(s))
	} else {
		_, err = s.svc.AddEvidence(r.Context(), e, s.staffName(r))
	}
	if s.formFailed(w, r, v, err, evidenceFields) {
		return
	}
	http.Redirect(w, r, "/staff/improvement?saved=evidence", http.StatusSeeOther)
}

// ---- You said, we did ----

var youSaidFields = map[string]string{"said": "said", "did": "did", "on": "on", "measures": "measures", "commitments": "commitments", "actions": "actions"}

func (s *Server) youSaidForm(r *http.Request, y report.YouSaidWeDid) (formView, error) {
	v := formView{Heading: "Add \"you said, we did\"", Action: "/staff/improvement/you-said", Submit: "Add it",
		Intro: "Show how what people told us changed the service: what they said, and what we did about it. Link it to the commitments, measures or improvement actions it is about."}
	ms, err := s.measureOptions("you-said-measures", y.Measures)
	if err != nil {
		return v, err
	}
	cs, err := s.commitmentOptions("you-said-commitments", y.Commitments)
	if err != nil {
		return v, err
	}
	actions, err := s.svc.Actions(r.Context())
	if err != nil {
		return v, err
	}
	var as []formOption
	for _, a := range actions {
		as = append(as, formOption{ID: "you-said-actions-" + a.ID, Value: a.ID, Label: a.What, Selected: slices.Contains(y.Actions, a.ID)})
	}
	d, m, yy := dateValues(y.On)
	v.Fields = []formField{
		{Kind: "textarea", ID: "you-said-said", Name: "said", Label: "You said", Rows: 3, Value: y.Said, Hint: "What people told us, in their words where you can."},
		{Kind: "textarea", ID: "you-said-did", Name: "did", Label: "We did", Rows: 3, Value: y.Did, Hint: "What we changed as a result."},
		{Kind: "date", ID: "you-said-on", Name: "on", Label: "When we did it", Hint: "For example, 2 2 2026", Day: d, Month: m, YearStr: yy},
		{Kind: "checkboxes", ID: "you-said-measures", Name: "measures", Label: "The measures it is about", Options: ms,
			Hint: "Choose at least one measure, commitment or improvement action."},
		{Kind: "checkboxes", ID: "you-said-commitments", Name: "commitments", Label: "The commitments it is about", Options: cs},
	}
	if len(as) > 0 {
		v.Fields = append(v.Fields, formField{Kind: "checkboxes", ID: "you-said-actions", Name: "actions", Label: "The improvement actions it is about", Options: as})
	}
	for i := range v.Fields {
		firstOptionID(&v.Fields[i])
	}
	return v, nil
}

func (s *Server) youSaidPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.youSaidForm(r, report.YouSaidWeDid{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, v)
}

func (s *Server) addYouSaid(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	y := report.YouSaidWeDid{Said: postedValue(r, "said"), Did: postedValue(r, "did"), Measures: r.PostForm["measures"],
		Commitments: r.PostForm["commitments"], Actions: r.PostForm["actions"]}
	v, err := s.youSaidForm(r, y)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	on, msg := postedDate(r, v.field("on"), "the date we did it", "2 2 2026")
	y.On = on
	if msg != "" {
		v.fail("on", msg)
		y.On = calendar.NewDate(2000, 1, 1)
		recs, _ := s.svc.Actions(r.Context())
		var actions []report.Action
		for _, a := range recs {
			actions = append(actions, a.Action)
		}
		err = y.Validate(mustSet(s), mustCharter(s), actions)
	} else {
		_, err = s.svc.AddYouSaid(r.Context(), y, s.staffName(r))
	}
	if s.formFailed(w, r, v, err, youSaidFields) {
		return
	}
	http.Redirect(w, r, "/staff/improvement?saved=you-said", http.StatusSeeOther)
}
