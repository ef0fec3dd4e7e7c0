package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/review"
)

// Review rounds: the findings of each round, written the way research
// findings are; forms to enter survey answers and coded comments; and
// draft revisions with the evidence beside each change, which managers
// publish as the new charter version. Rounds and drafts come from
// `charter review import` and `charter review draft`.

func (s *Server) registerReviewPages() {
	manager := s.requireStaff(app.RoleManager, app.RoleAdmin)
	s.handle("GET", "/staff/reviews", s.anyStaff(s.reviewsPage))
	s.handle("GET", "/staff/reviews/{round}", s.anyStaff(s.findingsPage))
	s.handle("GET", "/staff/reviews/{round}/findings.csv", s.anyStaff(s.findingsCSV))
	s.handle("GET", "/staff/reviews/{round}/responses", manager(s.responsesPage))
	s.handle("POST", "/staff/reviews/{round}/responses", manager(s.saveResponses))
	s.handle("GET", "/staff/reviews/{round}/comments", manager(s.commentPage))
	s.handle("POST", "/staff/reviews/{round}/comments", manager(s.saveComment))
	s.handle("GET", "/staff/drafts/{version}", s.anyStaff(s.draftPage))
	s.handle("POST", "/staff/drafts/{version}/publish", manager(s.publishDraft))
}

// isManager reports whether the signed-in member of staff may change reviews.
func (s *Server) isManager(r *http.Request) bool {
	sess := s.currentSession(r)
	return sess != nil && (sess.Role == app.RoleManager || sess.Role == app.RoleAdmin)
}

// ---- The list of rounds and drafts ----

type reviewsView struct {
	Chrome Chrome
	Staff  []NavItem
	Rounds []roundRow
	Drafts []draftRow
}

type roundRow struct {
	ID, Name, URL, Version          string
	Starts, Ends                    calendar.Date
	Participants, Answers, Comments int
}

type draftRow struct {
	Version, Base, URL, Round, Status string
	Published                         bool
	Proposals                         int
}

func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request) {
	rounds, err := s.svc.ReviewRounds(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	drafts, err := s.svc.Drafts(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := reviewsView{Chrome: s.chrome(r, "Charter reviews"), Staff: s.staffNav(r)}
	for _, rd := range rounds {
		v.Rounds = append(v.Rounds, roundRow{ID: rd.ID, Name: rd.Name, URL: "/staff/reviews/" + rd.ID, Version: rd.CharterVersion,
			Starts: rd.Starts, Ends: rd.Ends, Participants: len(rd.Participants), Answers: rd.Answers, Comments: rd.Comments})
	}
	for _, d := range drafts {
		row := draftRow{Version: d.Version, Base: d.BaseVersion, URL: "/staff/drafts/" + d.Version, Round: d.Round,
			Proposals: len(d.Proposals), Published: d.Status == app.DraftPublished, Status: "Draft"}
		if row.Published {
			row.Status = "Published"
		}
		v.Drafts = append(v.Drafts, row)
	}
	s.render(w, r, http.StatusOK, "staff-reviews", v)
}

// ---- Findings ----

type findingsView struct {
	Chrome     Chrome
	Staff      []NavItem
	Round      app.RoundRecord
	F          *review.Findings
	Sections   []findingsSection
	Small      bool // some shares are in words
	CanEdit    bool
	CSVURL     string
	HasGeneral bool
}

// findingsSection is one section of the charter under review and the
// commitments of it the round has findings for.
type findingsSection struct {
	Number      int
	Title       string
	Descriptor  string
	Commitments []review.CommitmentFinding
}

func (s *Server) findingsPage(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.ReviewFindings(r.Context(), r.PathValue("round"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := findingsView{Chrome: s.chrome(r, f.Round.Name+": findings"), Staff: s.staffNav(r), Round: f.Round, F: f.Findings,
		CanEdit: s.isManager(r), CSVURL: "/staff/reviews/" + f.Round.ID + "/findings.csv", HasGeneral: f.Findings.General.Comments > 0}
	for _, st := range f.Findings.Statements {
		v.Small = v.Small || st.InWords
	}
	bySection := map[int]int{}
	for _, sec := range f.Charter.Sections {
		bySection[sec.Number] = len(v.Sections)
		v.Sections = append(v.Sections, findingsSection{Number: sec.Number, Title: sec.Title, Descriptor: sec.Descriptor})
	}
	for _, c := range f.Findings.Commitments {
		v.Small = v.Small || c.InWords
		i, ok := bySection[c.Section]
		if !ok { // a commitment the version under review does not have
			continue
		}
		v.Sections[i].Commitments = append(v.Sections[i].Commitments, c)
	}
	kept := v.Sections[:0]
	for _, sec := range v.Sections {
		if len(sec.Commitments) > 0 {
			kept = append(kept, sec)
		}
	}
	v.Sections = kept
	s.render(w, r, http.StatusOK, "staff-review-findings", v)
}

func (s *Server) findingsCSV(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	round := r.PathValue("round")
	if err := s.svc.FindingsCSV(r.Context(), round, &buf); err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+round+`-findings.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// ---- Entering survey answers ----

type responsesView struct {
	Chrome       Chrome
	Staff        []NavItem
	Round        app.RoundRecord
	Participants []selectOption
	Statements   []statementInput
	Saved        string
	Everyone     bool // everyone listed has answered
	Errors
}

type statementInput struct {
	ID, Text, Field, Value string
	Options                []scaleOption
}

type scaleOption struct {
	ID, Value, Label string
	Checked          bool
}

// scaleChoices are the answers a statement offers, in the order of the scale.
var scaleChoices = []struct{ value, label string }{
	{"1", "Strongly disagree"}, {"2", "Disagree"}, {"3", "Neither agree nor disagree"}, {"4", "Agree"},
	{"5", "Strongly agree"}, {app.DontKnow, "Don't know"}, {"", "No answer"},
}

func (s *Server) newResponsesView(r *http.Request, values map[string]string, participant string) (responsesView, error) {
	round := r.PathValue("round")
	f, err := s.svc.ReviewFindings(r.Context(), round)
	if err != nil {
		return responsesView{}, err
	}
	answered := map[string]bool{}
	for _, a := range f.Answers {
		answered[a.Participant] = true
	}
	v := responsesView{Staff: s.staffNav(r), Round: f.Round}
	v.Participants = []selectOption{{Value: "", Label: "Choose who answered"}}
	for _, p := range f.Round.Participants {
		if answered[p.ID] {
			continue
		}
		v.Participants = append(v.Participants, selectOption{Value: p.ID, Label: p.ID + " (" + p.Type.Plural() + ")", Selected: p.ID == participant})
	}
	v.Everyone = len(v.Participants) == 1
	for _, st := range f.Round.Statements {
		in := statementInput{ID: st.ID, Text: st.Text, Field: "answer-" + st.ID, Value: values[st.ID]}
		for i, c := range scaleChoices {
			id := in.Field
			if i > 0 {
				id += "-" + strconv.Itoa(i)
			}
			in.Options = append(in.Options, scaleOption{ID: id, Value: c.value, Label: c.label, Checked: c.value == in.Value})
		}
		v.Statements = append(v.Statements, in)
	}
	return v, nil
}

func (s *Server) responsesPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.newResponsesView(r, nil, "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if p := r.URL.Query().Get("saved"); p != "" {
		v.Saved = p + "'s answers are recorded."
	}
	s.renderResponses(w, r, http.StatusOK, v)
}

func (s *Server) renderResponses(w http.ResponseWriter, r *http.Request, status int, v responsesView) {
	v.Chrome = s.chrome(r, titled("Enter survey answers", v.Errors))
	s.render(w, r, status, "staff-review-responses", v)
}

func (s *Server) saveResponses(w http.ResponseWriter, r *http.Request) {
	participant := postedValue(r, "participant")
	values := map[string]string{}
	if f, err := s.svc.ReviewFindings(r.Context(), r.PathValue("round")); err == nil {
		for _, st := range f.Round.Statements {
			values[st.ID] = postedValue(r, "answer-"+st.ID)
		}
	}
	_, err := s.svc.AddReviewResponses(r.Context(), r.PathValue("round"), participant, values)
	var fe app.FieldErrors
	if errors.As(err, &fe) {
		v, verr := s.newResponsesView(r, values, participant)
		if verr != nil {
			s.pageError(w, r, verr)
			return
		}
		for _, e := range fe {
			v.Errors = append(v.Errors, FieldError{e.Field, asSentence(e.Message)})
		}
		code := http.StatusBadRequest
		if fe[0].Kind == errs.KindConflict {
			code = http.StatusConflict
		}
		s.renderResponses(w, r, code, v)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/reviews/"+r.PathValue("round")+"/responses?saved="+participant, http.StatusSeeOther)
}

// ---- Entering a coded comment ----

type commentView struct {
	Chrome       Chrome
	Staff        []NavItem
	Round        app.RoundRecord
	Participants []selectOption
	Commitments  []selectOption
	Sources      []scaleOption
	Sentiments   []scaleOption
	Themes       []scaleOption
	Form         app.CommentInput
	Saved        string
	Errors
}

// commentFieldIDs maps the app's field names to the form's ids.
var commentFieldIDs = map[string]string{
	"id": "comment-id", "participant": "participant", "commitment": "commitment", "source": "source", "text": "text",
	"themes": "themes", "sentiment": "sentiment", "quotable": "quotable",
}

func (s *Server) newCommentView(r *http.Request, in app.CommentInput) (commentView, error) {
	f, err := s.svc.ReviewFindings(r.Context(), r.PathValue("round"))
	if err != nil {
		return commentView{}, err
	}
	v := commentView{Staff: s.staffNav(r), Round: f.Round, Form: in}
	v.Participants = []selectOption{{Value: "", Label: "Choose who said it"}}
	for _, p := range f.Round.Participants {
		v.Participants = append(v.Participants, selectOption{Value: p.ID, Label: p.ID + " (" + p.Type.Plural() + ")", Selected: p.ID == in.Participant})
	}
	v.Commitments = []selectOption{{Value: "", Label: "Choose a commitment"}, {Value: review.General, Label: "The charter as a whole", Selected: in.Commitment == review.General}}
	for _, sec := range f.Charter.Sections {
		for _, c := range sec.Commitments {
			v.Commitments = append(v.Commitments, selectOption{Value: c.ID, Label: c.ID + " " + clipText(c.Text, 70), Selected: c.ID == in.Commitment})
		}
	}
	choices := func(field, current string, opts [][2]string) []scaleOption {
		var out []scaleOption
		for i, o := range opts {
			id := field
			if i > 0 {
				id += "-" + o[0]
			}
			out = append(out, scaleOption{ID: id, Value: o[0], Label: o[1], Checked: o[0] == current})
		}
		return out
	}
	v.Sources = choices("source", in.Source, [][2]string{{"workshop", "Workshop"}, {"interview", "Interview"}, {"survey", "Survey"}})
	v.Sentiments = choices("sentiment", in.Sentiment, [][2]string{{"positive", "Positive"}, {"negative", "Negative"}, {"mixed", "Mixed"}})
	for i, t := range f.Round.Codebook {
		id := "themes"
		if i > 0 {
			id += "-" + t.ID
		}
		checked := false
		for _, c := range in.Themes {
			checked = checked || c == t.ID
		}
		v.Themes = append(v.Themes, scaleOption{ID: id, Value: t.ID, Label: t.Name + ": " + t.Definition, Checked: checked})
	}
	return v, nil
}

// clipText shortens a commitment's text for a list of options.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func (s *Server) commentPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.newCommentView(r, app.CommentInput{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if id := r.URL.Query().Get("saved"); id != "" {
		v.Saved = "Comment " + id + " is recorded."
	}
	s.renderComment(w, r, http.StatusOK, v)
}

func (s *Server) renderComment(w http.ResponseWriter, r *http.Request, status int, v commentView) {
	v.Chrome = s.chrome(r, titled("Enter a coded comment", v.Errors))
	s.render(w, r, status, "staff-review-comment", v)
}

func (s *Server) saveComment(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, errs.Invalid("form", "the form could not be read"))
		return
	}
	in := app.CommentInput{ID: postedValue(r, "id"), Participant: postedValue(r, "participant"), Commitment: postedValue(r, "commitment"),
		Source: postedValue(r, "source"), Text: postedValue(r, "text"), Themes: r.PostForm["themes"], Sentiment: postedValue(r, "sentiment"),
		Quotable: r.PostFormValue("quotable") == "yes"}
	c, err := s.svc.AddReviewComment(r.Context(), r.PathValue("round"), in)
	var fe app.FieldErrors
	if errors.As(err, &fe) {
		v, verr := s.newCommentView(r, in)
		if verr != nil {
			s.pageError(w, r, verr)
			return
		}
		for _, e := range fe {
			v.Errors = append(v.Errors, FieldError{commentFieldIDs[e.Field], asSentence(e.Message)})
		}
		code := http.StatusBadRequest
		if fe[0].Kind == errs.KindConflict {
			code = http.StatusConflict
		}
		s.renderComment(w, r, code, v)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/reviews/"+r.PathValue("round")+"/comments?saved="+c.ID, http.StatusSeeOther)
}

// ---- Draft revisions ----

type draftView struct {
	Chrome     Chrome
	Staff      []NavItem
	D          *app.DraftView
	RoundURL   string
	RoundName  string
	Planned    calendar.Date
	Changes    []draftChange
	Warnings   []string
	Problems   []string
	Published  bool
	JustNow    bool // published by this request's redirect
	CanPublish bool // the draft can be published and this person may
	Confirm    bool
	HistoryURL string
	Errors
}

// draftChange is one change with the evidence beside it.
type draftChange struct {
	Change   changeView
	Proposed bool // a proposal asks for it (not only a renumbering that follows)
}

func (s *Server) newDraftView(r *http.Request) (draftView, error) {
	d, err := s.svc.DraftPreview(r.Context(), r.PathValue("version"))
	if err != nil {
		return draftView{}, err
	}
	v := draftView{Staff: s.staffNav(r), D: d, Planned: d.Record.Published, Problems: d.Problems,
		Published: d.Record.Status == app.DraftPublished, HistoryURL: "/charter/history#version-" + slug(d.Record.Version)}
	v.CanPublish = d.CanPublish && s.isManager(r)
	if d.Round != nil {
		v.RoundURL, v.RoundName = "/staff/reviews/"+d.Round.ID, d.Round.Name
	}
	if d.Revision != nil {
		reasons := map[string]app.ChangeReason{}
		evidence := map[string][]evidenceView{}
		proposed := map[string]bool{}
		for _, c := range d.Revision.Changes {
			if c.Proposal == nil {
				continue
			}
			proposed[c.Change.Key] = true
			reasons[c.Change.Key] = app.ChangeReason{Reason: c.Proposal.Reason, Evidence: c.Proposal.Evidence}
			for _, e := range c.Evidence {
				evidence[c.Change.Key] = append(evidence[c.Change.Key], evidenceView{ID: e.CommentID, Text: e.Text, Attribution: e.Attribution,
					Commitment: e.CommitmentID, Sentiment: string(e.Sentiment), Themes: e.Themes, Quotable: e.Quotable})
			}
		}
		for _, c := range changeViews(d.Revision.Diff, 3, reasons, evidence) {
			v.Changes = append(v.Changes, draftChange{Change: c, Proposed: proposed[c.Key]})
		}
		v.Warnings = d.Report.Warnings()
	}
	return v, nil
}

func (s *Server) draftPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.newDraftView(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.JustNow = v.Published && r.URL.Query().Get("published") == "yes"
	s.renderDraft(w, r, http.StatusOK, v)
}

func (s *Server) renderDraft(w http.ResponseWriter, r *http.Request, status int, v draftView) {
	v.Chrome = s.chrome(r, titled("Draft revision: version "+v.D.Record.Version, v.Errors))
	s.render(w, r, status, "staff-draft", v)
}

func (s *Server) publishDraft(w http.ResponseWriter, r *http.Request) {
	v, err := s.newDraftView(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Confirm = r.PostFormValue("confirm") == "yes"
	switch {
	case v.Published:
		http.Redirect(w, r, "/staff/drafts/"+v.D.Record.Version, http.StatusSeeOther)
		return
	case !v.D.CanPublish:
		s.renderDraft(w, r, http.StatusConflict, v) // the page says why
		return
	case !v.Confirm:
		v.Errors = Errors{{"confirm", "Confirm that you have read the changes and the checks before you publish"}}
		s.renderDraft(w, r, http.StatusBadRequest, v)
		return
	}
	sess := s.currentSession(r)
	if _, err := s.svc.PublishDraft(r.Context(), v.D.Record.Version, sess.Role+":"+sess.Name); err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindConflict {
			fresh, ferr := s.newDraftView(r)
			if ferr != nil {
				s.pageError(w, r, ferr)
				return
			}
			if fresh.CanPublish {
				fresh.Errors = Errors{{"confirm", asSentence(e.Message)}}
			} else {
				fresh.Problems = append(fresh.Problems, asSentence(e.Message)+".")
			}
			s.renderDraft(w, r, http.StatusConflict, fresh)
			return
		}
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/drafts/"+v.D.Record.Version+"?published=yes", http.StatusSeeOther)
}

// choicesView is a question answered with radios or checkboxes.
type choicesView struct {
	Field, Legend, Kind, Error string
	Options                    []scaleOption
}

// reviewChoices builds a choicesView in a template.
func reviewChoices(field, legend, kind string, options []scaleOption, err string) choicesView {
	return choicesView{Field: field, Legend: legend, Kind: kind, Options: options, Error: err}
}
