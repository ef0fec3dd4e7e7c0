package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

const directoryHeader = "id,name,kind,areas,phone,email,website,description\n"

const goodDirectory = directoryHeader +
	`citizens-advice-fife,Citizens Advice Fife,independent-advice,Fife,0345 140 0095,,https://example.org/fife,"Free, confidential advice"` + "\n" +
	"\n" + // a blank line is skipped
	"advocacy-all,Advocacy for All,advocacy,all of Scotland,,help@example.org,,\n" +
	"money-west,Money Advice West,money-advice,Glasgow City;Renfrewshire,0141 000 0000,,,Debt help\n"

func TestParseDirectoryCSV(t *testing.T) {
	os, problems := app.ParseDirectoryCSV(strings.NewReader("\ufeff" + goodDirectory))
	if len(problems) > 0 || len(os) != 3 {
		t.Fatalf("a good file: %v, %v", os, problems)
	}
	if os[0].Description != "Free, confidential advice" || !os[0].Active || strings.Join(os[2].Areas, "|") != "Glasgow City|Renfrewshire" {
		t.Errorf("parsed: %+v", os)
	}
	bad := []struct {
		name, file string
		want       []string // each problem, in order
	}{
		{"empty", "", []string{"row 1: the file has no organisations"}},
		{"header only", directoryHeader, []string{"row 2: the file has no organisations"}},
		{"wrong header", "id,name,type,areas,phone,email,website,description\nx,y,other,Fife,01234 567890,,,\n",
			[]string{`row 1, column kind: the header row has "type"`}},
		{"bad kind", directoryHeader + "a-b,Name,charity,Fife,01234 567890,,,\n", []string{`row 2, column kind: "charity" is not a kind`}},
		{"missing name", directoryHeader + "a-b, ,other,Fife,01234 567890,,,\n", []string{"row 2, column name: give the organisation's name"}},
		{"bad area", directoryHeader + "a-b,Name,other,Narnia,01234 567890,,,\n", []string{`row 2, column areas: "Narnia"`}},
		{"no contact", directoryHeader + "a-b,Name,other,Fife,,,,\n", []string{"row 2, column phone: give at least one way"}},
		{"duplicate in file", directoryHeader + "a-b,Name,other,Fife,01234 567890,,,\n\na-b,Other,other,Fife,01234 567890,,,\n",
			[]string{"row 4, column id: the id a-b is already used on row 2"}},
		{"too few columns", directoryHeader + "a-b,Name,other\n", []string{"row 2: this row has 3 columns, not 8"}},
		{"malformed quotes", directoryHeader + "a-b,\"Name,other,Fife,01234 567890,,,\n", []string{"row 2: this is not a well-formed CSV row"}},
		{"every row checked", directoryHeader + "a-b,Name,charity,Fife,01234 567890,,,\nc-d,,other,Fife,01234 567890,,,\n",
			[]string{"row 2, column kind", "row 3, column name"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			os, problems := app.ParseDirectoryCSV(strings.NewReader(tc.file))
			if os != nil || len(problems) != len(tc.want) {
				t.Fatalf("got %v and problems %v, want %d problems", os, problems, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(problems[i].String(), w) {
					t.Errorf("problem %d: %q, want it to start %q", i, problems[i], w)
				}
			}
			if errs.KindOf(problems) != errs.KindInvalid {
				t.Errorf("kind %s", errs.KindOf(problems))
			}
		})
	}
}

var rowNamed = regexp.MustCompile(`^row [1-9][0-9]*(, column (id|name|kind|areas|phone|email|website|description))?: .`)

func FuzzParseDirectoryCSV(f *testing.F) {
	f.Add(goodDirectory)
	f.Add(directoryHeader + "a-b,\"Name,other\n")
	f.Add("")
	f.Add("\"")
	f.Add(directoryHeader + "a,b,c,d,e,f,g,h,i\n")
	f.Fuzz(func(t *testing.T, data string) {
		os, problems := app.ParseDirectoryCSV(strings.NewReader(data))
		if len(problems) > 0 && os != nil {
			t.Fatalf("both organisations and problems")
		}
		if len(problems) == 0 && len(os) == 0 {
			t.Fatalf("neither organisations nor problems")
		}
		for _, p := range problems {
			if !rowNamed.MatchString(p.String()) {
				t.Fatalf("a problem that names no row: %q", p)
			}
		}
		for _, o := range os {
			if err := o.Validate(); err != nil {
				t.Fatalf("an organisation that does not validate: %+v: %v", o, err)
			}
		}
	})
}

func TestImportDirectory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _, _ := newService(t, st)
		n, err := svc.ImportDirectory(ctx, strings.NewReader(goodDirectory))
		if err != nil || n != 3 {
			t.Fatalf("import: %d, %v", n, err)
		}
		// Against the directory: one clash, nothing written.
		again := directoryHeader + "new-one,New One,other,Fife,01234 567890,,,\n" +
			"advocacy-all,Advocacy Again,advocacy,all of Scotland,01234 567890,,,\n"
		n, err = svc.ImportDirectory(ctx, strings.NewReader(again))
		var problems app.ImportProblems
		if p, ok := err.(app.ImportProblems); ok {
			problems = p
		}
		if n != 0 || len(problems) != 1 || problems[0].String() != "row 3, column id: there is already an organisation with the id advocacy-all in the directory" {
			t.Fatalf("a clash with the directory: %d, %v", n, err)
		}
		// Bad files write nothing either.
		for _, file := range []string{"", directoryHeader + "x-y,X,charity,Fife,01234 567890,,,\n",
			directoryHeader + "new-one,New One,other,Fife,01234 567890,,,\nbroken\"row\n"} {
			if n, err := svc.ImportDirectory(ctx, strings.NewReader(file)); n != 0 || errs.KindOf(err) != errs.KindInvalid {
				t.Errorf("%q: %d, %v", file, n, err)
			}
		}
		all, _ := svc.Organisations(ctx, false)
		if len(all) != 3 {
			t.Errorf("after refused imports the directory has %d organisations, want 3", len(all))
		}

		// One by one.
		if _, err := svc.AddOrganisation(ctx, casework.Organisation{ID: "x", Name: "X"}); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("a bad organisation: %v", err)
		}
		if _, err := svc.AddOrganisation(ctx, casework.Organisation{ID: "money-west", Name: "X", Kind: "other",
			Areas: []string{"Fife"}, Phone: "01234 567890"}); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("a second money-west: %v", err)
		}
		o, err := svc.AddOrganisation(ctx, casework.Organisation{ID: "highland-help", Name: "Highland Help", Kind: "local-service",
			Areas: []string{"highland"}, Phone: "01463 000000"})
		if err != nil || !o.Active || o.Areas[0] != "Highland" {
			t.Fatalf("add: %+v, %v", o, err)
		}

		// For a client in Fife: Fife's first, then all of Scotland, then the rest.
		list, serves, err := svc.OrganisationsFor(ctx, "Fife")
		if err != nil || len(list) != 4 {
			t.Fatalf("for Fife: %v, %v", list, err)
		}
		var ids []string
		for _, o := range list {
			ids = append(ids, o.ID)
		}
		if strings.Join(ids, ",") != "citizens-advice-fife,advocacy-all,highland-help,money-west" ||
			!serves[0] || !serves[1] || serves[2] || serves[3] {
			t.Errorf("for Fife: %v %v", ids, serves)
		}
	})
}

func TestReferralThroughTheService(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _, _ := newService(t, st)
		if _, err := svc.ImportDirectory(ctx, strings.NewReader(goodDirectory)); err != nil {
			t.Fatal(err)
		}
		a, _, err := svc.Create(ctx, "caseworker:test", time.Time{}, &casework.Received{Benefit: "adult-disability-payment",
			Client: casework.Client{Name: "Sam", DateOfBirth: calendar.NewDate(1970, 1, 2), Area: "Fife"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		record := func(b casework.Body) (*casework.Application, error) {
			a, _, err := svc.Record(ctx, a.Ref, -1, app.NewEvent{Type: b.Type(), Actor: "caseworker:test", Body: b}, nil)
			return a, err
		}
		version := a.Version
		refusals := []struct {
			body  casework.Body
			field string
		}{
			{&casework.ReferralMade{Organisation: "citizens-advice-fife", Shared: "Your name"}, "body.consent"},
			{&casework.ReferralMade{Organisation: "nobody", Consent: true, Shared: "Your name"}, "body.organisation"},
			{&casework.ReferralMade{Organisation: "citizens-advice-fife", Consent: true}, "body.shared"},
			{&casework.ReferralMade{Organisation: "citizens-advice-fife", Consent: true, Shared: "Your name",
				OrganisationSnapshot: &casework.Organisation{ID: "citizens-advice-fife", Name: "Fake", Active: true}}, "body.organisation_snapshot"},
			{&casework.OtherHelpSignposted{Help: "a grant: you are entitled to it", From: "the council"}, "body.help"},
		}
		for _, r := range refusals {
			_, err := record(r.body)
			if e, ok := errs.As(err); !ok || e.Kind != errs.KindInvalid || e.Field != r.field {
				t.Errorf("%+v: %v, want invalid on %s", r.body, err, r.field)
			}
		}
		if got, _, _ := svc.Application(ctx, a.Ref); got.Version != version {
			t.Fatalf("refused events were written: version %d, want %d", got.Version, version)
		}
		got, err := record(&casework.ReferralMade{Organisation: "citizens-advice-fife", Consent: true, Shared: "Your name and phone number"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Referrals) != 1 || got.Referrals[0].Organisation.Phone != "0345 140 0095" {
			t.Errorf("referral: %+v", got.Referrals)
		}
		// The snapshot is kept even if the directory changes later.
		if err := svc.SetOrganisationActive(ctx, "citizens-advice-fife", false); err != nil {
			t.Fatal(err)
		}
		if _, err := record(&casework.ReferralMade{Organisation: "citizens-advice-fife", Consent: true, Shared: "x"}); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("a referral to an organisation no longer in use: %v", err)
		}
		if got, _, _ := svc.Application(ctx, a.Ref); len(got.Referrals) != 1 || got.Referrals[0].Organisation.Name != "Citizens Advice Fife" {
			t.Errorf("after the directory changed: %+v", got.Referrals)
		}
	})
}
