package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// queueStatus is a queue status as people read it, with its tag colour.
type queueStatus struct{ Value, Label, Tag string }

var queueStatuses = []queueStatus{
	{app.QueueMissed, "Missed", "ds_tag--red"},
	{app.QueueAtRisk, "At risk", "ds_tag--orange"},
	{app.QueueOnTrack, "On track", "ds_tag--green"},
	{app.QueuePaused, "Paused", "ds_tag--grey"},
}

func queueStatusOf(value string) (queueStatus, bool) {
	for _, q := range queueStatuses {
		if q.Value == value {
			return q, true
		}
	}
	return queueStatus{}, false
}

// selectOption is one choice in a select.
type selectOption struct {
	Value, Label string
	Selected     bool
}

// queueView is the work queue: filters, counts and one page of cases.
type queueView struct {
	Chrome                  Chrome
	Staff                   []NavItem
	Today                   calendar.Date
	Benefit, Stage, Status  string // the filters as sent
	Benefits, Stages        []selectOption
	Statuses                []selectOption
	Counts                  []queueCount // empty when the filters have problems
	Total                   int
	Rows                    []queueRow
	NextURL, FirstURL       string
	FilterLabel             string // "Adult Disability Payment, at the stage Gathering information"
	Filtered, CursorProblem bool
	// Redeterminations are the decisions clients asked us to look at
	// again, by our deadline (commitment 1.8): on the first page only.
	Redeterminations []redeterminationRow
	Errors
}

type redeterminationRow struct {
	Ref, URL, ClientName, Benefit string
	Due                           calendar.Date
	Missed                        bool
}

type queueCount struct {
	queueStatus
	Count int
	URL   string
}

type queueRow struct {
	Ref, URL, ClientName, Benefit, Stage string
	Status                               queueStatus
	DecideBy                             calendar.Date
	Paused                               bool
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := queueView{Staff: s.staffNav(r), Today: s.svc.Today(),
		Benefit: strings.TrimSpace(q.Get("benefit")), Stage: strings.TrimSpace(q.Get("stage")), Status: strings.TrimSpace(q.Get("status"))}
	cursor := q.Get("cursor")
	if v.Status == "all" {
		v.Status = ""
	}
	cat, err := s.svc.Benefits()
	if err != nil {
		s.pageError(w, r, err)
		return
	}

	// The choices, and a check of what was sent against them.
	v.Benefits = []selectOption{{Value: "", Label: "All benefits", Selected: v.Benefit == ""}}
	var benefit *charter.Benefit
	for i := range cat.Benefits {
		b := &cat.Benefits[i]
		v.Benefits = append(v.Benefits, selectOption{Value: b.ID, Label: b.Name, Selected: b.ID == v.Benefit})
		if b.ID == v.Benefit {
			benefit = b
		}
	}
	v.Stages = []selectOption{{Value: "", Label: "All stages", Selected: v.Stage == ""}}
	stageNames := map[string]string{}
	for _, b := range cat.Benefits {
		for _, st := range b.Stages {
			if _, seen := stageNames[st.ID]; !seen {
				stageNames[st.ID] = st.Name
				v.Stages = append(v.Stages, selectOption{Value: st.ID, Label: st.Name, Selected: st.ID == v.Stage})
			}
		}
	}
	v.Statuses = []selectOption{{Value: "all", Label: "All", Selected: v.Status == ""}}
	for _, st := range queueStatuses {
		v.Statuses = append(v.Statuses, selectOption{Value: st.Value, Label: st.Label, Selected: st.Value == v.Status})
	}
	if v.Benefit != "" && benefit == nil {
		v.Errors = append(v.Errors, FieldError{"benefit", "Choose a benefit from the list"})
	}
	if _, ok := stageNames[v.Stage]; v.Stage != "" && !ok {
		v.Errors = append(v.Errors, FieldError{"stage", "Choose a stage from the list"})
	} else if _, i := benefitStage(benefit, v.Stage); v.Stage != "" && benefit != nil && i < 0 {
		v.Errors = append(v.Errors, FieldError{"stage", "Choose a stage that " + benefit.Name + " has, or All stages"})
	}
	if _, ok := queueStatusOf(v.Status); v.Status != "" && !ok {
		v.Errors = append(v.Errors, FieldError{"status", "Choose a status from the list"})
	}
	if len(v.Errors) > 0 {
		s.renderQueue(w, r, http.StatusBadRequest, v)
		return
	}

	page, err := s.svc.Queue(r.Context(), app.QueueQuery{Benefit: v.Benefit, Stage: v.Stage, Status: v.Status,
		Cursor: cursor, Limit: queuePageSize})
	if err != nil {
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.KindInvalid {
			s.pageError(w, r, err)
			return
		}
		// What is left is a cursor we did not give out, or a rule the
		// checks above do not know yet.
		field := map[string]string{"benefit": "benefit", "stage": "stage", "status": "status"}[e.Field]
		msg := asSentence(e.Message)
		if field == "" {
			field, msg, v.CursorProblem = "first-page", "This page of the queue no longer exists: start again from the first page", true
		}
		v.Errors = append(v.Errors, FieldError{field, msg})
		v.FirstURL = queueURL(v.Benefit, v.Stage, v.Status, "")
		s.renderQueue(w, r, http.StatusBadRequest, v)
		return
	}
	for _, it := range page.Items {
		row := queueRow{Ref: it.Ref.String(), URL: caseURL(it.Ref), ClientName: it.ClientName,
			Benefit: it.Benefit, Stage: it.Stage, DecideBy: it.DecideBy, Paused: it.Paused}
		row.Status, _ = queueStatusOf(it.QueueStatus)
		if b, ok := cat.Benefit(it.Benefit); ok {
			row.Benefit = b.Name
			if st, i := b.Stage(it.Stage); i >= 0 {
				row.Stage = st.Name
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if page.Next != "" {
		v.NextURL = queueURL(v.Benefit, v.Stage, v.Status, page.Next)
	}
	if cursor != "" {
		v.FirstURL = queueURL(v.Benefit, v.Stage, v.Status, "")
	} else {
		reds, err := s.svc.Redeterminations(r.Context())
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, it := range reds {
			if v.Benefit != "" && it.Benefit != v.Benefit {
				continue
			}
			row := redeterminationRow{Ref: it.Ref.String(), URL: caseURL(it.Ref) + "#challenge", ClientName: it.ClientName,
				Benefit: it.Benefit, Due: it.ChallengeDue, Missed: v.Today.After(it.ChallengeDue)}
			if b, ok := cat.Benefit(it.Benefit); ok {
				row.Benefit = b.Name
			}
			v.Redeterminations = append(v.Redeterminations, row)
		}
	}

	// The counts at the top follow the benefit and stage filters, and
	// each links to the queue of that status.
	tallies, err := s.svc.QueueTallies(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var sum app.QueueTally
	for _, t := range tallies {
		if (v.Benefit == "" || t.Benefit == v.Benefit) && (v.Stage == "" || t.Stage == v.Stage) {
			sum = sum.Add(t.QueueTally)
		}
	}
	for _, st := range queueStatuses {
		v.Counts = append(v.Counts, queueCount{queueStatus: st, Count: sum.Of(st.Value), URL: queueURL(v.Benefit, v.Stage, st.Value, "")})
	}
	v.Total = sum.Total()
	var parts []string
	if benefit != nil {
		parts = append(parts, benefit.Name)
	}
	if v.Stage != "" {
		parts = append(parts, "at the stage "+stageNames[v.Stage])
	}
	v.FilterLabel = strings.Join(parts, ", ")
	v.Filtered = v.Benefit != "" || v.Stage != "" || v.Status != ""
	s.renderQueue(w, r, http.StatusOK, v)
}

func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, status int, v queueView) {
	v.Chrome = s.chrome(r, titled("Work queue", v.Errors))
	s.render(w, r, status, "staff-queue", v)
}

func benefitStage(b *charter.Benefit, stage string) (charter.Stage, int) {
	if b == nil {
		return charter.Stage{}, -1
	}
	return b.Stage(stage)
}

// queueURL is the address of a page of the queue with these filters.
func queueURL(benefit, stage, status, cursor string) string {
	q := url.Values{}
	for k, v := range map[string]string{"benefit": benefit, "stage": stage, "status": status, "cursor": cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return "/staff"
	}
	return "/staff?" + q.Encode()
}

func caseURL(ref casework.Reference) string { return "/staff/cases/" + ref.String() }
