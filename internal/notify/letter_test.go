package notify_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// pdfText extracts a PDF's text, a line for each run of characters on the
// same baseline, with a line "--- page N" before each page, and the
// largest font size used.
func pdfText(t *testing.T, data []byte) (string, float64) {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var biggest float64
	for i := 1; i <= r.NumPage(); i++ {
		fmt.Fprintf(&b, "--- page %d\n", i)
		y := -1.0
		for _, tx := range r.Page(i).Content().Text {
			if tx.Y != y && y >= 0 {
				b.WriteString("\n")
			}
			y = tx.Y
			b.WriteString(tx.S)
			biggest = max(biggest, tx.FontSize)
		}
		b.WriteString("\n")
	}
	return b.String(), biggest
}

// letters renders the letters of one case with the real templates.
func letters(t *testing.T) map[string]message.Outgoing {
	t.Helper()
	ch, err := charter.ParseCharter("charter.yaml", examples.Charter)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := charter.ParseCatalogue("benefits.yaml", examples.Benefits, ch)
	if err != nil {
		t.Fatal(err)
	}
	cal := calendar.Scotland()
	rules := casework.Rules{Benefits: cat, Calendar: cal}
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	a := &casework.Application{}
	var events []casework.Event
	add := func(typ casework.EventType, at time.Time, b casework.Body) casework.Event {
		e := casework.Event{Seq: len(events) + 1, Type: typ, At: at, Actor: "test", Body: b}
		if err := a.Apply(rules, e); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		events = append(events, e)
		return e
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, casework.Zone) }
	add(casework.TypeReceived, day(time.March, 2), &casework.Received{Benefit: "carer-support-payment", Channel: "paper",
		Client: casework.Client{Name: "Morgan Example", DateOfBirth: calendar.NewDate(1968, 9, 12), PreferredContact: "letter",
			Address: &casework.Address{Lines: []string{"Flat 2", "10 Example Road", "Dundee"}, Postcode: "DD1 1AA"}}})
	a.Ref = "7KM-4QX-9DC"
	out := map[string]message.Outgoing{}
	letter := func(name string, k message.Kind, e casework.Event, enclose bool) {
		l := message.Compose(k, a, e, message.Facts{Service: message.Service{Name: "Your payments and our charter",
			PublicURL: "https://charter.example.org", Phone: "0800 000 0000"}, Charter: ch, Calendar: cal, Today: casework.LocalDate(e.At)})
		if enclose {
			l.Enclosure = message.Summarise(ch)
		}
		r, err := tmpl.Render(k, message.ChannelLetter, l)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = message.Outgoing{Key: fmt.Sprintf("%s/%d/%s/letter", a.Ref, e.Seq, k), Ref: a.Ref, Kind: k,
			Channel: message.ChannelLetter, Recipient: "Morgan Example\nFlat 2\n10 Example Road\nDundee\nDD1 1AA",
			Subject: r.Subject, Body: r.Body, Attempt: 1}
	}
	letter("acknowledgement", message.KindAcknowledgement, add(casework.TypeAcknowledged, day(time.March, 3), &casework.Acknowledged{}), true)
	var reasons []casework.CriterionReason
	for i, c := range a.Benefit().Criteria {
		reasons = append(reasons, casework.CriterionReason{Criterion: c.ID, Met: i != 1,
			Reason: "We looked at the caring diary and the letter from the cared-for person's GP."})
	}
	letter("decision", message.KindDecision, add(casework.TypeDecisionMade, day(time.April, 14), &casework.DecisionMade{
		Outcome: casework.OutcomeRefuse, Reasons: reasons, DecisionMaker: "case manager"}), true)
	return out
}

// TestLetterGolden lays out the acknowledgement and decision letters as
// PDFs and compares the text in them with testdata/*.golden (go test
// -update rewrites them).
func TestLetterGolden(t *testing.T) {
	for name, m := range letters(t) {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			pages, err := notify.WriteLetterPDF(&b, m.Ref.String(), m.Subject, m.Body, false)
			if err != nil {
				t.Fatal(err)
			}
			got, size := pdfText(t, b.Bytes())
			got = fmt.Sprintf("pages: %d\n%s", pages, got)
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("the letter's text differs from %s (go test -update to accept):\n%s", golden, got)
			}
			if !strings.Contains(got, "Our charter: a summary") || !strings.Contains(got, "page 1 of") {
				t.Error("the letter has no charter summary or page numbers")
			}
			// Large print: the same words in larger type.
			var lp bytes.Buffer
			if _, err := notify.WriteLetterPDF(&lp, m.Ref.String(), m.Subject, m.Body, true); err != nil {
				t.Fatal(err)
			}
			lpText, lpSize := pdfText(t, lp.Bytes())
			if lpSize < 16 || lpSize <= size || !strings.Contains(strings.ReplaceAll(lpText, "\n", " "), "Morgan Example") {
				t.Errorf("large print: biggest type %.0fpt against %.0fpt", lpSize, size)
			}
		})
	}
}

func TestLettersGoToThePrintQueueOnce(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 3, 9, 0, 0, 0, casework.Zone)
	l := &notify.Letters{Dir: dir, Now: func() time.Time { return now }}
	ls := letters(t)
	for range 2 { // the second time is a retry after a crash
		for _, m := range ls {
			if _, err := l.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
		}
	}
	f, err := os.Open(filepath.Join(dir, "2026-03-03", "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(ls) || strings.Join(rows[0], ",") != strings.Join(notify.ManifestHeader, ",") {
		t.Fatalf("manifest rows %v", rows)
	}
	for _, r := range rows[1:] {
		pdfData, err := os.ReadFile(filepath.Join(dir, "2026-03-03", r[2]))
		if err != nil {
			t.Fatal(err)
		}
		text, _ := pdfText(t, pdfData)
		if r[1] != "7KM-4QX-9DC" || r[5] != "Morgan Example" || r[6] != "DD1 1AA" || r[3] == "0" || !strings.Contains(text, "Morgan Example") {
			t.Errorf("manifest row %v", r)
		}
	}
	// No address: permanent.
	m := ls["decision"]
	m.Key, m.Recipient = "x", "Morgan Example"
	if _, err := l.Send(context.Background(), m); err == nil {
		t.Error("a letter with no address went to the print queue")
	}
}
