package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// The practitioner register (charter commitment 2.12): every member of
// staff can read who holds consultations, with their qualifications and
// the kinds of condition they understand; managers and admins add and
// change them.

func (s *Server) registerPractitionerPages() {
	s.handle("GET", "/staff/practitioners", s.anyStaff(s.practitionersPage))
	s.handle("POST", "/staff/practitioners", s.requireStaff(app.RoleManager, app.RoleAdmin)(s.savePractitioner))
}

type practitionersView struct {
	Chrome        Chrome
	Staff         []NavItem
	Practitioners []practitionerRow
	CanEdit       bool   // managers and admins
	Saved         string // the name of the practitioner just saved
	Form          practitionerForm
	Errors
}

type practitionerRow struct {
	ID, Name, Role string
	Qualifications []string
	Specialisms    []string // labels
	Active         bool
	EditURL        string
}

// practitionerForm adds a practitioner (ID empty) or changes one.
type practitionerForm struct {
	ID, Name, Role, Qualifications string // one qualification a line
	Version                        int
	Active                         bool
	Specialisms                    []checkOption
}

// practitionerFields maps the domain's field names to the form's ids.
var practitionerFields = map[string]string{
	"name": "practitioner-name", "role": "practitioner-role",
	"qualifications": "practitioner-qualifications", "specialisms": "practitioner-specialisms",
}

func (s *Server) practitionersPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.newPractitionersView(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if id := r.URL.Query().Get("edit"); id != "" && v.CanEdit {
		p, err := s.svc.Practitioner(r.Context(), id)
		if errs.KindOf(err) == errs.KindNotFound {
			s.renderErrorMessage(w, r, http.StatusNotFound, "There is no practitioner with the id "+id+". Choose one from the list of practitioners.")
			return
		}
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.Form = practitionerFormOf(p)
	}
	if id := r.URL.Query().Get("saved"); id != "" {
		for _, p := range v.Practitioners {
			if p.ID == id {
				v.Saved = p.Name
			}
		}
	}
	s.renderPractitioners(w, r, http.StatusOK, v)
}

func (s *Server) newPractitionersView(r *http.Request) (practitionersView, error) {
	ps, err := s.svc.Practitioners(r.Context(), false)
	if err != nil {
		return practitionersView{}, err
	}
	sess := s.currentSession(r)
	v := practitionersView{Staff: s.staffNav(r), CanEdit: sess != nil && (sess.Role == app.RoleManager || sess.Role == app.RoleAdmin),
		Form: practitionerForm{Active: true, Specialisms: specialismOptions(nil)}}
	for _, p := range ps {
		v.Practitioners = append(v.Practitioners, practitionerRow{ID: p.ID, Name: p.Name, Role: p.Role,
			Qualifications: p.Qualifications, Specialisms: conditionLabels(p.Specialisms), Active: p.Active,
			EditURL: "/staff/practitioners?edit=" + p.ID + "#practitioner-form"})
	}
	return v, nil
}

func (s *Server) renderPractitioners(w http.ResponseWriter, r *http.Request, status int, v practitionersView) {
	v.Chrome = s.chrome(r, titled("Practitioners", v.Errors))
	s.render(w, r, status, "staff-practitioners", v)
}

func practitionerFormOf(p app.PractitionerRecord) practitionerForm {
	return practitionerForm{ID: p.ID, Version: p.Version, Name: p.Name, Role: p.Role,
		Qualifications: strings.Join(p.Qualifications, "\n"), Active: p.Active, Specialisms: specialismOptions(p.Specialisms)}
}

func specialismOptions(checked []string) []checkOption {
	var out []checkOption
	for i, c := range casework.Conditions {
		out = append(out, checkOption{ID: "practitioner-specialisms" + suffix(c.ID, i == 0), Value: c.ID, Label: c.Label,
			Checked: slices.Contains(checked, c.ID)})
	}
	return out
}

// savePractitioner adds a practitioner, or changes one if the form names
// one, and goes back to the list.
func (s *Server) savePractitioner(w http.ResponseWriter, r *http.Request) {
	v, err := s.newPractitionersView(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	r.ParseForm()
	f := &v.Form
	f.ID, f.Name, f.Role = postedValue(r, "id"), postedValue(r, "name"), postedValue(r, "role")
	f.Qualifications, f.Active = r.PostFormValue("qualifications"), r.PostFormValue("active") == "yes"
	f.Specialisms = specialismOptions(r.PostForm["specialisms"])
	if f.ID != "" {
		if f.Version, err = strconv.Atoi(r.PostFormValue("version")); err != nil || f.Version < 1 {
			s.renderErrorMessage(w, r, http.StatusBadRequest,
				"The form did not say which version of the practitioner's details it was filled in on. Go back, reload the page and try again.")
			return
		}
	}
	p := casework.Practitioner{ID: f.ID, Name: f.Name, Role: f.Role, Active: f.Active, Specialisms: r.PostForm["specialisms"]}
	for _, line := range strings.Split(f.Qualifications, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Qualifications = append(p.Qualifications, line)
		}
	}
	// The form's own checks, all at once; the domain's rules follow.
	var problems Errors
	if f.Name == "" {
		problems = append(problems, FieldError{"practitioner-name", "Enter the practitioner's name"})
	}
	if f.Role == "" {
		problems = append(problems, FieldError{"practitioner-role", "Enter the practitioner's profession, as clients are told it, for example Occupational therapist"})
	}
	if len(p.Qualifications) == 0 {
		problems = append(problems, FieldError{"practitioner-qualifications", "Enter at least one qualification or registration, for example Registered nurse (NMC)"})
	}
	if len(p.Specialisms) == 0 {
		problems = append(problems, FieldError{"practitioner-specialisms", "Choose at least one kind of condition the practitioner understands"})
	}
	if len(problems) > 0 {
		v.Errors = problems
		s.renderPractitioners(w, r, http.StatusBadRequest, v)
		return
	}
	if f.ID == "" {
		p, err = s.svc.AddPractitioner(r.Context(), p)
	} else {
		err = s.svc.UpdatePractitioner(r.Context(), p, f.Version)
	}
	if e, ok := errs.As(err); ok && e.Kind != errs.KindInternal {
		field, known := practitionerFields[strings.SplitN(e.Field, "[", 2)[0]]
		if !known {
			field = "practitioner-name"
		}
		status := http.StatusBadRequest
		if e.Kind == errs.KindConflict || e.Kind == errs.KindNotFound {
			status = http.StatusConflict
		}
		v.Errors = Errors{{field, asSentence(e.Message)}}
		s.renderPractitioners(w, r, status, v)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/practitioners?saved="+p.ID, http.StatusSeeOther)
}
