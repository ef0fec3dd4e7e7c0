package web

import (
	"net/http"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// ---- Supporters on the staff case page (commitment 1.6) ----

// supporterFormValues are the staff form for a supporter the client named
// by phone, by post or in person.
type supporterFormValues struct {
	Name, Relationship, Organisation, Email, Scope string
}

// caseSupporter is a supporter as the case page lists them.
type caseSupporter struct {
	casework.Supporter
	RelationshipText, ScopeText string
}

func caseSupporters(a *casework.Application) []caseSupporter {
	var out []caseSupporter
	for _, s := range a.Supporters {
		cs := caseSupporter{Supporter: s, RelationshipText: "Someone they know", ScopeText: "See the application"}
		if s.Relationship == casework.RelationshipAdvocate {
			cs.RelationshipText = "Advocate, " + s.Organisation
		}
		if s.Scope == casework.ScopeAct {
			cs.ScopeText = "See the application and act for the client"
		}
		out = append(out, cs)
	}
	return out
}

// parseStaffSupporter reads the form for a supporter the client named to
// a member of staff.
func parseStaffSupporter(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	f := supporterFormValues{Name: postedValue(r, "name"), Relationship: postedValue(r, "relationship"),
		Organisation: postedValue(r, "organisation"), Email: postedValue(r, "email"), Scope: postedValue(r, "scope")}
	v.Form.Supporter = f
	var problems Errors
	if f.Name == "" {
		problems = append(problems, FieldError{"supporter-name", "Enter the supporter's name"})
	}
	switch {
	case f.Relationship != casework.RelationshipPersonTheyKnow && f.Relationship != casework.RelationshipAdvocate:
		problems = append(problems, FieldError{"supporter-relationship", "Choose whether the supporter is someone the client knows or an advocate"})
	case f.Relationship == casework.RelationshipAdvocate && f.Organisation == "":
		problems = append(problems, FieldError{"supporter-organisation", "Enter the organisation the advocate works for"})
	}
	if f.Email == "" {
		problems = append(problems, FieldError{"supporter-email", "Enter the supporter's email address: they sign in with a code we send there"})
	}
	if f.Scope != casework.ScopeView && f.Scope != casework.ScopeAct {
		problems = append(problems, FieldError{"supporter-scope", "Choose what the supporter can do"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	org := f.Organisation
	if f.Relationship != casework.RelationshipAdvocate {
		org = ""
	}
	return &casework.SupporterAuthorised{SupporterID: app.NewSupporterID(), Name: f.Name, Relationship: f.Relationship,
		Organisation: org, Email: f.Email, Scope: f.Scope, AuthorisedBy: casework.AuthorisedByStaff}, nil
}

// parseRevokeSupporter reads the button that removes a supporter: from
// then on they cannot sign in, and an open session of theirs ends at its
// next request.
func parseRevokeSupporter(r *http.Request, _ *caseView, _ calendar.Date) (casework.Body, Errors) {
	id := postedValue(r, "supporter_id")
	if id == "" {
		return nil, Errors{{"supporters", "Choose a supporter to remove"}}
	}
	return &casework.SupporterRevoked{SupporterID: id}, nil
}
