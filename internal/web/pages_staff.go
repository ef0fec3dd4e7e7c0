package web

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// registerStaffPages adds the casework pages: the work queue, a case with
// the forms that record what happens to it, the sign-in code outbox and a
// first performance page for managers.
func (s *Server) registerStaffPages() {
	s.handle("GET", "/staff", s.anyStaff(s.queuePage))
	s.handle("GET", "/staff/cases/{ref}", s.anyStaff(s.casePage))
	for _, f := range caseForms {
		s.handle("POST", "/staff/cases/{ref}/"+f.path, s.anyStaff(s.recordFromForm(f)))
	}
	s.handle("GET", "/staff/outbox", s.anyStaff(s.outboxPage))
	s.handle("GET", "/staff/messages", s.anyStaff(s.messagesPage))
	s.handle("POST", "/staff/messages/{id}/sent-by-hand", s.anyStaff(s.sentByHand))
	s.handle("GET", "/staff/messages/preview/{kind}", s.anyStaff(s.previewPage))
	s.handle("GET", "/staff/performance", s.requireStaff(app.RoleManager, app.RoleAdmin)(s.performancePage))
}

// staffNav is the navigation between the staff pages; Performance only
// for the roles that may see it.
func (s *Server) staffNav(r *http.Request) []NavItem {
	items := []NavItem{{Label: "Work queue", URL: "/staff"}, {Label: "Messages", URL: "/staff/messages"}, {Label: "Sign-in codes", URL: "/staff/outbox"},
		{Label: "Practitioners", URL: "/staff/practitioners"}, {Label: "Directory", URL: "/staff/directory"},
		{Label: "Complaints", URL: "/staff/complaints"}, {Label: "Feedback", URL: "/staff/feedback"}, {Label: "Reviews", URL: "/staff/reviews"}}
	if sess := s.currentSession(r); sess != nil && (sess.Role == app.RoleManager || sess.Role == app.RoleAdmin) {
		items = append(items, NavItem{Label: "Performance", URL: "/staff/performance"}, NavItem{Label: "Improvement plan", URL: "/staff/improvement"})
	}
	for i := range items {
		items[i].Current = r.URL.Path == items[i].URL ||
			(items[i].URL == "/staff" && strings.HasPrefix(r.URL.Path, "/staff/cases/")) ||
			(items[i].URL != "/staff" && strings.HasPrefix(r.URL.Path, items[i].URL+"/")) ||
			(items[i].URL == "/staff/reviews" && strings.HasPrefix(r.URL.Path, "/staff/drafts/"))
	}
	return items
}

// titled is a page title, with "Error: " first when the form has problems,
// so screen readers hear it first.
func titled(title string, problems Errors) string {
	if len(problems) > 0 {
		return "Error: " + title
	}
	return title
}

// asSentence gives a domain message (lower case, no full stop) a capital.
func asSentence(msg string) string {
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// ---- The work queue ----

// queuePageSize is how many applications one page of the queue shows.
const queuePageSize = 25

// ---- The sign-in code outbox ----

// outboxLimit is how many messages the outbox page shows.
const outboxLimit = 100

type outboxView struct {
	Chrome   Chrome
	Staff    []NavItem
	Limit    int
	Messages []outboxRow
}

type outboxRow struct {
	When, Ref, URL, Channel, Recipient, Body string
}

var channelLabels = map[string]string{"email": "Email", "sms": "Text message", "letter": "Letter"}

func (s *Server) outboxPage(w http.ResponseWriter, r *http.Request) {
	msgs, err := s.svc.CodeOutbox(r.Context(), outboxLimit)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := outboxView{Chrome: s.chrome(r, "Sign-in code outbox"), Staff: s.staffNav(r), Limit: outboxLimit}
	for _, m := range msgs {
		ref := casework.Reference(m.Ref)
		ch := channelLabels[m.Channel]
		if ch == "" {
			ch = m.Channel
		}
		v.Messages = append(v.Messages, outboxRow{When: whenText(m.CreatedAt), Ref: ref.String(), URL: caseURL(ref),
			Channel: ch, Recipient: m.Recipient, Body: m.Body})
	}
	s.render(w, r, http.StatusOK, "staff-outbox", v)
}

// ---- Performance ----

type performanceView struct {
	Chrome Chrome
	Staff  []NavItem
	Today  calendar.Date
	Rows   []performanceRow
	Total  app.QueueTally
}

type performanceRow struct {
	Benefit string
	app.QueueTally
}

func (s *Server) performancePage(w http.ResponseWriter, r *http.Request) {
	cat, err := s.svc.Benefits()
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	tallies, err := s.svc.QueueTallies(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	byBenefit := map[string]app.QueueTally{}
	for _, t := range tallies {
		byBenefit[t.Benefit] = byBenefit[t.Benefit].Add(t.QueueTally)
	}
	v := performanceView{Chrome: s.chrome(r, "Performance"), Staff: s.staffNav(r), Today: s.svc.Today()}
	for _, b := range cat.Benefits {
		v.Rows = append(v.Rows, performanceRow{Benefit: b.Name, QueueTally: byBenefit[b.ID]})
		v.Total = v.Total.Add(byBenefit[b.ID])
		delete(byBenefit, b.ID)
	}
	// Applications for a benefit no longer in the catalogue still count.
	for _, id := range slices.Sorted(maps.Keys(byBenefit)) {
		v.Rows = append(v.Rows, performanceRow{Benefit: id, QueueTally: byBenefit[id]})
		v.Total = v.Total.Add(byBenefit[id])
	}
	s.render(w, r, http.StatusOK, "staff-performance", v)
}
