package web

import (
	"net/http"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

func (s *Server) registerClientPages() {
	s.handle("GET", "/application", s.requireClient(s.applicationPage))
	s.handle("POST", charterSummaryPath, s.requireClientSelf(s.setCharterSummary))
}

// charterSummaryPath is where a client asks us to stop (or start again)
// enclosing the charter summary with their letters.
const charterSummaryPath = "/application/charter-summary"

// applicationView answers, at a glance: where is my application, what
// happens next and by what date, and what do you need from me.
type applicationView struct {
	Chrome   Chrome
	Ref      string
	Benefit  *charter.Benefit
	Timeline casework.Timeline
	Decision *casework.Decision
	Criteria map[string]string // criterion id → its question
	// Promises are the standards as sentences with dates, for "what we said".
	Promises []promise
	// Responsibilities are the charter's "please help us by" statements.
	Responsibilities []charter.Responsibility
	// Challenge is the decision notice and how to challenge it (pages_challenge.go).
	Challenge *clientChallenge
	// Consultation is the client's consultation, if any (client_consultation.go).
	Consultation *clientConsultation
	// Supporters is "People who can help you" (pages_supporters.go).
	Supporters *clientSupporters
	Referrals  *clientReferrals // referrals and other help (staff_referral.go)
	// CharterSummary is whether we enclose the charter summary with letters;
	// the client (not a supporter) may change it.
	CharterSummary, CanChangeSummary bool
}

// promise is one service standard as the client reads it.
type promise struct {
	Text       string // "tell you we had your application by"
	Due        calendar.Date
	Done       calendar.Date
	Status     casework.StandardStatus
	Commitment string
}

func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) {
	sess := s.currentSession(r)
	ref := casework.Reference(sess.Subject)
	a, _, err := s.svc.Application(r.Context(), ref)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	t := a.Timeline(s.svc.Calendar(), s.svc.Today())
	v := applicationView{Ref: ref.String(), Benefit: a.Benefit(), Timeline: t, Decision: a.Decision,
		Criteria: map[string]string{}}
	for _, c := range a.Benefit().Criteria {
		v.Criteria[c.ID] = c.Question
	}
	v.Challenge = newClientChallenge(a, t.Today)
	v.Consultation = newClientConsultation(a)
	s.supporterHooks(r, a, &v)
	v.Referrals = newClientReferrals(a)
	v.CharterSummary, v.CanChangeSummary = !a.Client.NoCharterSummary, !isSupporter(sess)
	for _, st := range t.Standards {
		p := promise{Due: st.Due, Done: st.Done, Status: st.Status, Commitment: st.Commitment}
		switch st.Name {
		case casework.StandardAcknowledge:
			p.Text = "tell you we had your application by"
		case casework.StandardDecide:
			p.Text = "decide by"
		case casework.StandardUpdate:
			if t.Status != casework.StatusOpen {
				continue
			}
			p.Text = "send you an update, even if there is no news, by"
		}
		v.Promises = append(v.Promises, p)
	}
	if ch, err := s.svc.Charter(); err == nil && len(ch.Sections) > 0 {
		v.Responsibilities = ch.Sections[0].Responsibilities
	}
	v.Chrome = s.chrome(r, "Your application for "+a.Benefit().Name)
	s.render(w, r, http.StatusOK, "application", v)
}

// setCharterSummary records whether the client wants the charter summary
// with their letters, keeping every other contact detail as it is.
func (s *Server) setCharterSummary(w http.ResponseWriter, r *http.Request) {
	sess := s.currentSession(r)
	ref := casework.Reference(sess.Subject)
	a, _, err := s.svc.Application(r.Context(), ref)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	c := a.Client
	body := &casework.ContactDetailsUpdated{PreferredContact: c.PreferredContact, Email: c.Email, Phone: c.Phone,
		Address: c.Address, AccessibleFormat: c.AccessibleFormat, Language: c.Language,
		NoCharterSummary: postedValue(r, "send") != "yes"}
	if body.PreferredContact == "" {
		body.PreferredContact = preferredOf(c)
	}
	if body.NoCharterSummary != c.NoCharterSummary {
		if _, _, err := s.svc.Record(r.Context(), ref, a.Version, app.NewEvent{Type: body.Type(), Actor: "client", Body: body}, nil); err != nil && errs.KindOf(err) != errs.KindConflict {
			s.pageError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/application#charter-summary", http.StatusSeeOther)
}

// preferredOf is how a client who never said hears from us.
func preferredOf(c casework.Client) string {
	switch {
	case c.Email != "":
		return casework.ContactEmail
	case c.Phone != "":
		return casework.ContactSMS
	case c.Address != nil:
		return casework.ContactLetter
	}
	return casework.ContactNone
}
