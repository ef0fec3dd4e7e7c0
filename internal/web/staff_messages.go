package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/message"
)

// ---- Messages: on the case page, the staff list, previews ----

// caseMessage is one message as the case page lists it.
type caseMessage struct {
	When, What, Channel, Status, Tag, Reason, Body string
	Attempts                                       int
}

var channelNames = map[message.Channel]string{message.ChannelEmail: "Email", message.ChannelSMS: "Text message",
	message.ChannelLetter: "Letter", message.ChannelStaff: "Staff alert", message.ChannelNone: "None (no contact)"}

var statusTags = map[message.Status]string{
	message.StatusQueued: "ds_tag--grey", message.StatusSending: "ds_tag--blue", message.StatusSent: "ds_tag--blue",
	message.StatusDelivered: "ds_tag--green", message.StatusRetrying: "ds_tag--orange", message.StatusFailed: "ds_tag--red",
	message.StatusNeedsHuman: "ds_tag--orange", message.StatusNotSent: "ds_tag--grey",
}

func messageRow(n app.Notification) caseMessage {
	return caseMessage{When: whenText(n.CreatedAt), What: n.Subject, Channel: channelNames[n.Channel],
		Status: n.Status.Label(), Tag: statusTags[n.Status], Reason: n.Reason, Body: n.Body, Attempts: n.Attempts}
}

// caseMessages lists a case's messages for its page.
func (s *Server) caseMessages(r *http.Request, ref casework.Reference) ([]caseMessage, error) {
	ns, err := s.svc.Notifications(r.Context(), ref)
	if err != nil {
		return nil, err
	}
	out := make([]caseMessage, 0, len(ns))
	for _, n := range ns {
		out = append(out, messageRow(n))
	}
	return out, nil
}

// contactText says how a client wants to hear from us, and what they need.
func clientContactText(c casework.Client) string {
	var s string
	switch {
	case c.PreferredContact == casework.ContactNone:
		s = "No contact: they read news on their application page (letters the law requires still go)"
	case c.PreferredContact == casework.ContactEmail || (c.PreferredContact == "" && c.Email != ""):
		s = "Email: " + c.Email
	case c.PreferredContact == casework.ContactSMS || (c.PreferredContact == "" && c.Phone != ""):
		s = "Text message: " + c.Phone
	default:
		s = "Letter"
	}
	if f := formatLabels[c.AccessibleFormat]; f != "" {
		s += ". Needs " + f
		if c.AccessibleFormat == casework.FormatOtherLanguage {
			s += " (" + c.Language + ")"
		}
	}
	return s
}

var formatLabels = map[string]string{casework.FormatLargePrint: "large print", casework.FormatBraille: "Braille",
	casework.FormatBSL: "British Sign Language", casework.FormatEasyRead: "easy read", casework.FormatOtherLanguage: "another language"}

// contactFormValues are the contact details form's fields.
type contactFormValues struct {
	Preferred, Email, Phone, Address, Postcode, Format, Language string
	NoSummary                                                    bool
}

func contactValues(c casework.Client) contactFormValues {
	v := contactFormValues{Preferred: c.PreferredContact, Email: c.Email, Phone: c.Phone, Format: c.AccessibleFormat,
		Language: c.Language, NoSummary: c.NoCharterSummary}
	if c.Address != nil {
		v.Address, v.Postcode = strings.Join(c.Address.Lines, "\n"), c.Address.Postcode
	}
	return v
}

// parseContactDetails reads the contact details form.
func parseContactDetails(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	f := contactFormValues{Preferred: postedValue(r, "preferred_contact"), Email: postedValue(r, "email"),
		Phone: postedValue(r, "phone"), Address: postedValue(r, "address"), Postcode: postedValue(r, "postcode"),
		Format: postedValue(r, "accessible_format"), Language: postedValue(r, "language"), NoSummary: postedValue(r, "no_charter_summary") == "yes"}
	v.Form.Contact = f
	b := &casework.ContactDetailsUpdated{PreferredContact: f.Preferred, Email: f.Email, Phone: f.Phone,
		AccessibleFormat: f.Format, Language: f.Language, NoCharterSummary: f.NoSummary}
	if f.Address != "" || f.Postcode != "" {
		b.Address = &casework.Address{Lines: strings.Split(strings.ReplaceAll(f.Address, "\r", ""), "\n"), Postcode: f.Postcode}
	}
	if f.Preferred == "" {
		return nil, Errors{{"contact-preferred", "Choose how the client wants to hear from us"}}
	}
	return b, nil
}

// ---- The messages page ----

type messagesView struct {
	Chrome    Chrome
	Staff     []NavItem
	Counts    []statusCount
	Attention []attentionRow
	Kinds     []kindLink
	Sent      bool // a message was just recorded as sent by a person
	Errors
}

type statusCount struct {
	Label, Tag string
	N          int
}

type attentionRow struct {
	ID int64
	caseMessage
	Ref, URL, Recipient string
	Failed              bool
}

type kindLink struct{ Label, URL string }

var kindLabels = map[message.Kind]string{
	message.KindAcknowledgement: "We have your application", message.KindInformationRequested: "We need something from you",
	message.KindReminder: "Reminder of an information request", message.KindInformationReceived: "Information received",
	message.KindStageChanged: "Your application has moved on", message.KindStillWorking: "Still working on it (no news for too long)",
	message.KindAtRisk: "At risk (to staff)", message.KindMissed: "Sorry: we missed the date", message.KindDateRevised: "A new decision date",
	message.KindDecision: "Decision", message.KindConsultationProposed: "Consultation proposed",
	message.KindConsultationBooked: "Consultation booked", message.KindConsultationCancelled: "Consultation cancelled",
	message.KindRedeterminationReceived: "Re-determination request received", message.KindLateRequestDecided: "Late request decided",
	message.KindRedeterminationDecision: "Re-determination decision", message.KindAppealNow: "You can appeal (with the form)",
	message.KindSupporters: "Supporters changed", message.KindWithdrawn: "Withdrawn", message.KindNews: "Other news",
}

func (s *Server) messagesPage(w http.ResponseWriter, r *http.Request) {
	s.renderMessages(w, r, http.StatusOK, nil)
}

func (s *Server) renderMessages(w http.ResponseWriter, r *http.Request, status int, problems Errors) {
	ctx := r.Context()
	counts, err := s.svc.NotificationCounts(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	att, err := s.svc.NeedingAttention(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := messagesView{Chrome: s.chrome(r, titled("Messages", problems)), Staff: s.staffNav(r), Errors: problems,
		Sent: r.URL.Query().Get("sent") != "" && len(problems) == 0}
	for _, st := range []message.Status{message.StatusQueued, message.StatusRetrying, message.StatusNeedsHuman,
		message.StatusFailed, message.StatusSent, message.StatusDelivered, message.StatusNotSent} {
		v.Counts = append(v.Counts, statusCount{Label: st.Label(), Tag: statusTags[st], N: counts[st]})
	}
	for _, n := range att {
		v.Attention = append(v.Attention, attentionRow{ID: n.ID, caseMessage: messageRow(n), Ref: n.Ref.String(),
			URL: caseURL(n.Ref), Recipient: n.Recipient, Failed: n.Status == message.StatusFailed})
	}
	for _, k := range message.Kinds {
		v.Kinds = append(v.Kinds, kindLink{Label: kindLabels[k], URL: "/staff/messages/preview/" + string(k)})
	}
	s.render(w, r, status, "staff-messages", v)
}

// sentByHand records that a member of staff sent a message themselves.
func (s *Server) sentByHand(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderErrorMessage(w, r, http.StatusNotFound, "There is no such message. Go back to the messages page.")
		return
	}
	sess := s.currentSession(r)
	how := postedValue(r, "how")
	err = s.svc.SentByHand(r.Context(), id, sess.Name, how)
	switch {
	case err == nil:
		http.Redirect(w, r, "/staff/messages?sent="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case errs.KindOf(err) == errs.KindInvalid:
		s.renderMessages(w, r, http.StatusBadRequest, Errors{{"how-" + r.PathValue("id"), "Say how you sent it: for example, posted in Braille"}})
	case errs.KindOf(err) == errs.KindConflict:
		s.renderMessages(w, r, http.StatusConflict, Errors{{"attention", asSentence(err.Error())}})
	default:
		s.pageError(w, r, err)
	}
}

// ---- Previews ----

type previewView struct {
	Chrome   Chrome
	Staff    []NavItem
	Kind     string
	Previews []previewPart
}

type previewPart struct {
	Channel, Subject, Body string
}

// previewPage shows a kind of message as each channel renders it, for an
// example client, so staff can read what clients get.
func (s *Server) previewPage(w http.ResponseWriter, r *http.Request) {
	k := message.Kind(r.PathValue("kind"))
	label, ok := kindLabels[k]
	if !ok {
		s.renderErrorMessage(w, r, http.StatusNotFound, "There is no message of that kind. Go back to the messages page.")
		return
	}
	example, e, err := s.exampleCase(k)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := previewView{Chrome: s.chrome(r, "Preview: "+label), Staff: s.staffNav(r), Kind: label}
	channels := []message.Channel{message.ChannelEmail, message.ChannelSMS, message.ChannelLetter}
	if k == message.KindAtRisk {
		channels = []message.Channel{message.ChannelStaff}
	}
	for _, ch := range channels {
		out, err := s.svc.PreviewMessage(k, ch, example, e)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.Previews = append(v.Previews, previewPart{Channel: channelNames[ch], Subject: out.Subject, Body: out.Body})
	}
	s.render(w, r, http.StatusOK, "staff-message-preview", v)
}

// exampleCase is a made-up application, folded through the real rules, at
// the point where a message of kind k is sent.
func (s *Server) exampleCase(k message.Kind) (*casework.Application, casework.Event, error) {
	rules, err := s.svc.Rules()
	if err != nil {
		return nil, casework.Event{}, err
	}
	benefit := rules.Benefits.Benefits[0]
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, casework.Zone)
	a := &casework.Application{}
	var last casework.Event
	add := func(days int, b casework.Body) error {
		last = casework.Event{Seq: a.Version + 1, Type: b.Type(), At: start.AddDate(0, 0, days), Actor: "caseworker:example", Body: b}
		return a.Apply(rules, last)
	}
	steps := []struct {
		days int
		b    casework.Body
	}{
		{0, &casework.Received{Benefit: benefit.ID, Channel: "online", Client: casework.Client{Name: "Alex Example",
			DateOfBirth: calendar.NewDate(1980, 5, 17), Email: "alex@example.org", PreferredContact: "email",
			Address: &casework.Address{Lines: []string{"1 Example Street", "Kirkcaldy"}, Postcode: "KY1 1AA"}}}},
		{1, &casework.Acknowledged{}},
		{2, &casework.InformationRequested{What: "A letter from your GP about how your condition affects you", Why: "To understand how it affects your daily life", From: casework.FromClient}},
	}
	for _, st := range steps {
		if err := add(st.days, st.b); err != nil {
			return nil, last, err
		}
	}
	a.Ref = "7KM-4QX-9DC"
	switch k {
	case message.KindDecision, message.KindRedeterminationReceived, message.KindRedeterminationDecision, message.KindAppealNow:
		var reasons []casework.CriterionReason
		for _, c := range benefit.Criteria {
			reasons = append(reasons, casework.CriterionReason{Criterion: c.ID, Met: true, Reason: "We looked at what you told us and the letter from your GP."})
		}
		if err := add(20, &casework.DecisionMade{Outcome: casework.OutcomeAward, Reasons: reasons, DecisionMaker: "case manager"}); err != nil {
			return nil, last, err
		}
	}
	return a, last, nil
}
