package message_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
)

// Sensitive strings seeded into the application. No email or text may
// carry any of them.
const (
	sensitiveCondition = "Crohn's disease flare-ups"
	sensitiveReason    = "Your GP letter shows you need help preparing food"
	sensitiveNINumber  = "QQ123456C"
	sensitiveWhat      = "a letter from your psychiatrist"
	sensitiveWhy       = "to understand how your anxiety affects going out"
	sensitiveReport    = "mobility limited to short distances"
)

var sensitiveDOB = []string{"1975-04-01", "1 April 1975", "01/04/1975", "Tuesday 1 April 1975"}

// richStory is an application with something for every message to say,
// and sensitive details wherever the data model allows them.
func richStory(t *testing.T, f fixture) (*story, map[message.Kind]casework.Event) {
	t.Helper()
	s := f.newStory(t, "adult-disability-payment", day(2026, time.March, 2), casework.Client{
		Name: "Alex Example", Email: "alex@example.org", Phone: "07700900123", PreferredContact: "email",
		Address: &casework.Address{Lines: []string{"1 Example Street", "Kirkcaldy"}, Postcode: "KY1 1AA"}})
	ev := map[message.Kind]casework.Event{}
	ev[message.KindAcknowledgement] = s.add(casework.TypeAcknowledged, day(2026, time.March, 3), &casework.Acknowledged{})
	s.add(casework.TypeClientDetailsUpdated, day(2026, time.March, 3), &casework.ClientDetailsUpdated{
		Conditions: []string{"mental-health"}, ConditionNotes: sensitiveCondition + " " + sensitiveNINumber})
	ev[message.KindStageChanged] = s.add(casework.TypeStageChanged, day(2026, time.March, 4), &casework.StageChanged{Stage: "gathering-information"})
	ev[message.KindInformationRequested] = s.add(casework.TypeInformationRequested, day(2026, time.March, 5), &casework.InformationRequested{
		What: sensitiveWhat, Why: sensitiveWhy, From: casework.FromClient, Due: calendar.NewDate(2026, 4, 16)})
	ev[message.KindReminder] = s.add(casework.TypeInformationReminderSent, day(2026, time.April, 9), &casework.InformationReminderSent{RequestID: "R1"})
	ev[message.KindInformationReceived] = s.add(casework.TypeInformationReceived, day(2026, time.April, 10), &casework.InformationReceived{RequestID: "R1", Note: sensitiveCondition})
	ev[message.KindConsultationProposed] = s.add(casework.TypeConsultationProposed, day(2026, time.April, 13), &casework.ConsultationProposed{
		MissingInformation: "We do not know how far you can walk on a bad day with " + sensitiveCondition + ".",
		WhyNotEnough:       "The letter we have does not say how your condition affects moving around outside."})
	return s, ev
}

func render(t *testing.T, f fixture, tmpl *message.Templates, k message.Kind, s *story, e casework.Event, ch message.Channel) message.Rendered {
	t.Helper()
	l := message.Compose(k, s.app, e, message.Facts{Service: message.Service{Name: "Your payments and our charter",
		PublicURL: "https://charter.example.org", Phone: "0800 000 0000"}, Charter: f.charter, Calendar: f.cal,
		Today: casework.LocalDate(e.At)})
	if ch == message.ChannelLetter {
		l.Enclosure = message.Summarise(f.charter)
	}
	r, err := tmpl.Render(k, ch, l)
	if err != nil {
		t.Fatalf("%s by %s: %v", k, ch, err)
	}
	if strings.Contains(r.Body, "<no value>") || strings.Contains(r.Subject, "<no value>") {
		t.Errorf("%s by %s has an empty placeholder:\n%s", k, ch, r.Body)
	}
	if strings.Contains(r.Body, "0001") || strings.Contains(r.Subject, "0001") {
		t.Errorf("%s by %s shows a zero date:\n%s%s", k, ch, r.Subject, r.Body)
	}
	return r
}

// TestEmailsAndTextsCarryNothingSensitive renders every message kind by
// email and by text at every point of a case full of sensitive details,
// and looks for each of them.
func TestEmailsAndTextsCarryNothingSensitive(t *testing.T) {
	f := newFixture(t)
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	s, ev := richStory(t, f)
	last := s.events[len(s.events)-1]
	sensitive := append([]string{sensitiveCondition, sensitiveReason, sensitiveNINumber, sensitiveWhat, sensitiveWhy,
		sensitiveReport, "Adult Disability Payment", "mental-health", "mental health", "1 Example Street", "KY1 1AA"}, sensitiveDOB...)
	check := func(k message.Kind, e casework.Event) {
		for _, ch := range []message.Channel{message.ChannelEmail, message.ChannelSMS} {
			if k == message.KindAtRisk && ch == message.ChannelSMS {
				continue
			}
			r := render(t, f, tmpl, k, s, e, ch)
			for _, bad := range sensitive {
				if strings.Contains(r.Subject+"\n"+r.Body, bad) {
					t.Errorf("%s by %s contains %q:\n%s\n%s", k, ch, bad, r.Subject, r.Body)
				}
			}
			if !strings.Contains(r.Body, s.app.Ref.String()) && k != message.KindAtRisk {
				t.Errorf("%s by %s does not give the reference the client signs in with:\n%s", k, ch, r.Body)
			}
		}
	}
	for _, k := range message.Kinds {
		e, ok := ev[k]
		if !ok {
			e = last
		}
		check(k, e)
	}
	// Again once decided, challenged, and re-determined, with reasons that
	// are sensitive.
	reasons := s.reasons()
	reasons[0].Reason = sensitiveReason
	s.add(casework.TypeConsultationCancelled, day(2026, time.April, 20), &casework.ConsultationCancelled{By: casework.CancelledByService, Reason: "We have enough information now."})
	dec := s.add(casework.TypeDecisionMade, day(2026, time.April, 21), &casework.DecisionMade{Outcome: casework.OutcomePartial, Reasons: reasons, DecisionMaker: "case manager", Award: "Daily living at the standard rate"})
	check(message.KindDecision, dec)
	req := s.add(casework.TypeRedeterminationRequested, day(2026, time.April, 27), &casework.RedeterminationRequested{How: "online", By: "client", Disagreement: sensitiveCondition})
	check(message.KindRedeterminationReceived, req)
	red := s.add(casework.TypeRedeterminationDecided, day(2026, time.May, 20), &casework.RedeterminationDecided{Outcome: "changed_up", Reasons: reasons, DecisionMaker: "senior case manager"})
	check(message.KindRedeterminationDecision, red)
	check(message.KindAppealNow, red)
}

// TestLettersSayWhatTheyAreAbout checks the details a letter must carry,
// which an email must not.
func TestLettersSayWhatTheyAreAbout(t *testing.T) {
	f := newFixture(t)
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	s, ev := richStory(t, f)
	ack := render(t, f, tmpl, message.KindAcknowledgement, s, ev[message.KindAcknowledgement], message.ChannelLetter)
	for _, want := range []string{"Alex Example", "1 Example Street", "KY1 1AA", "Adult Disability Payment",
		"We expect to make a decision by", "Our charter: a summary", "2.2 ", "Scottish Public Services Ombudsman"} {
		if !strings.Contains(ack.Body, want) {
			t.Errorf("the acknowledgement letter lacks %q:\n%s", want, ack.Body)
		}
	}
	req := render(t, f, tmpl, message.KindInformationRequested, s, ev[message.KindInformationRequested], message.ChannelLetter)
	for _, want := range []string{sensitiveWhat, sensitiveWhy, "Thursday 16 April 2026"} {
		if !strings.Contains(req.Body, want) {
			t.Errorf("the request letter lacks %q:\n%s", want, req.Body)
		}
	}
	reasons := s.reasons()
	reasons[0].Reason = sensitiveReason
	dec := s.add(casework.TypeDecisionMade, day(2026, time.April, 21), &casework.DecisionMade{Outcome: casework.OutcomePartial, Reasons: reasons, DecisionMaker: "case manager"})
	letter := render(t, f, tmpl, message.KindDecision, s, dec, message.ChannelLetter)
	for _, want := range []string{sensitiveReason, s.app.Benefit().Criteria[0].Question, "The last day to ask is", "re-determination",
		"may go up, go down or stay the same", "cannot withdraw", "Free, independent advice", "Our charter: a summary"} {
		if !strings.Contains(letter.Body, want) {
			t.Errorf("the decision letter lacks %q:\n%s", want, letter.Body)
		}
	}
}

func TestMissedApologyGivesTheDatesAndWhatToDo(t *testing.T) {
	f := newFixture(t)
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	s := f.newStory(t, "early-years-grant", day(2026, time.March, 2), casework.Client{Email: "sam@example.org", PreferredContact: "email"})
	due := s.app.StoredClock(f.cal).Due
	on := f.cal.AddWorkingDays(due, 1)
	e := s.add(casework.TypeTimescaleMissed, message.SendAt(on), &casework.TimescaleMissed{Due: due})
	r := render(t, f, tmpl, message.KindMissed, s, e, message.ChannelEmail)
	writeBy := f.cal.AddWorkingDays(on, message.WriteWithNewDateWorkingDays)
	for _, want := range []string{"We are sorry", due.Long(), "by " + writeBy.Long(), "/feedback", "commitment 2.2"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the apology lacks %q:\n%s", want, r.Body)
		}
	}
}

// TestTemplateProblemsFailWithFileAndLine: a template that names what its
// data does not have, or that lacks a part, fails to load, naming where.
func TestTemplateProblemsFailWithFileAndLine(t *testing.T) {
	base := fstest.MapFS{}
	sub, _ := fs.Sub(message.TemplateFS(), "templates")
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			base[p] = &fstest.MapFile{Data: b}
		}
		return nil
	})
	if _, err := message.LoadTemplates(base); err != nil {
		t.Fatalf("the built-in templates do not load from a copy: %v", err)
	}
	cases := []struct {
		name, file, src string
		want            []string
	}{
		{"a typo in a placeholder", "news.tmpl",
			"{{define \"subject\"}}News{{end}}\n{{define \"email\"}}Dear {{.Nmae}}{{end}}\n{{define \"sms\"}}x{{end}}\n{{define \"letter\"}}x{{end}}",
			[]string{"news.tmpl:2:", ".Nmae", "nothing sensitive"}},
		{"an email naming the decision", "decision.tmpl",
			"{{define \"subject\"}}x{{end}}\n{{define \"email\"}}\n\n{{.Decision.OutcomeText}}{{end}}\n{{define \"sms\"}}x{{end}}\n{{define \"letter\"}}{{.Decision.OutcomeText}}{{end}}",
			[]string{"decision.tmpl:4:", "unknown placeholder .Decision"}},
		{"a letter with a typo inside range", "still_working.tmpl",
			"{{define \"subject\"}}x{{end}}{{define \"email\"}}x{{end}}{{define \"sms\"}}x{{end}}\n{{define \"letter\"}}{{range .Requests}}{{.Wat}}{{end}}{{end}}",
			[]string{"still_working.tmpl:2:", ".Wat", "casework.InformationRequest"}},
		{"a missing part", "withdrawn.tmpl", "{{define \"subject\"}}x{{end}}{{define \"email\"}}x{{end}}{{define \"letter\"}}x{{end}}",
			[]string{"withdrawn.tmpl", `does not define "sms"`}},
		{"an unknown part", "withdrawn.tmpl", "{{define \"subject\"}}x{{end}}{{define \"email\"}}x{{end}}{{define \"sms\"}}x{{end}}{{define \"letter\"}}x{{end}}{{define \"fax\"}}x{{end}}",
			[]string{"withdrawn.tmpl", `"fax" is not a part`}},
		{"a syntax error", "withdrawn.tmpl", "{{define \"subject\"}}x{{end}}\n{{define \"email\"}}{{if}}{{end}}",
			[]string{"withdrawn.tmpl:2"}},
		{"a missing file", "appeal_form.tmpl", "", []string{"appeal_form.tmpl: the template is missing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			if c.src == "" {
				delete(fsys, c.file)
			} else {
				fsys[c.file] = &fstest.MapFile{Data: []byte(c.src)}
			}
			_, err := message.LoadTemplates(fsys)
			if err == nil {
				t.Fatal("the templates loaded")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
