package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// The directory of organisations (charter commitments 1.10 and 1.11):
// every member of staff can read it; managers and admins add organisations
// one at a time or import a CSV file of them.

func (s *Server) registerDirectoryPages() {
	s.handle("GET", "/staff/directory", s.anyStaff(s.directoryPage))
	s.handle("POST", "/staff/directory", s.requireStaff(app.RoleManager, app.RoleAdmin)(s.saveDirectory))
	s.handle("POST", "/staff/directory/{id}/active", s.requireStaff(app.RoleManager, app.RoleAdmin)(s.setDirectoryActive))
	s.handle("GET", "/api/v1/directory", s.staff(s.listDirectory))
}

type directoryView struct {
	Chrome        Chrome
	Staff         []NavItem
	Organisations []directoryRow
	CanEdit       bool
	Saved         string // what was just saved or switched, in words
	Form          directoryForm
	Kinds         []selectOption
	Columns       string // the CSV header row
	// ImportProblems are every problem with a refused CSV file.
	ImportProblems []string
	Errors
}

type directoryRow struct {
	ID, Name, Kind, Areas, Phone, Email, Website, Description string
	Active                                                    bool
}

type directoryForm struct {
	ID, Name, Kind, Areas, Phone, Email, Website, Description string
}

// directoryFields maps the domain's field names to the form's ids.
var directoryFields = map[string]string{
	"id": "directory-id", "name": "directory-name", "kind": "directory-kind", "areas": "directory-areas",
	"phone": "directory-phone", "email": "directory-email", "website": "directory-website",
}

func (s *Server) newDirectoryView(r *http.Request) (directoryView, error) {
	os, err := s.svc.Organisations(r.Context(), false)
	if err != nil {
		return directoryView{}, err
	}
	sess := s.currentSession(r)
	v := directoryView{Staff: s.staffNav(r), CanEdit: sess != nil && (sess.Role == app.RoleManager || sess.Role == app.RoleAdmin),
		Columns: strings.Join(app.DirectoryColumns, ",")}
	v.Kinds = []selectOption{{Value: "", Label: "Choose a kind"}}
	for _, k := range casework.OrganisationKinds {
		v.Kinds = append(v.Kinds, selectOption{Value: string(k.ID), Label: k.Label})
	}
	for _, o := range os {
		v.Organisations = append(v.Organisations, directoryRow{ID: o.ID, Name: o.Name, Kind: casework.OrganisationKindLabel(o.Kind),
			Areas: areasText(o.Areas), Phone: o.Phone, Email: o.Email, Website: o.Website, Description: o.Description, Active: o.Active})
	}
	return v, nil
}

func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.newDirectoryView(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("imported")); err == nil && n > 0 {
		v.Saved = strconv.Itoa(n) + " organisations are added to the directory."
		if n == 1 {
			v.Saved = "1 organisation is added to the directory."
		}
	}
	for _, o := range v.Organisations {
		switch o.ID {
		case r.URL.Query().Get("saved"):
			v.Saved = o.Name + " is added to the directory."
		case r.URL.Query().Get("stopped"):
			v.Saved = "We will not refer anyone new to " + o.Name + ". Referrals already made are not changed."
		case r.URL.Query().Get("started"):
			v.Saved = "Staff can refer clients to " + o.Name + " again."
		}
	}
	s.renderDirectory(w, r, http.StatusOK, v)
}

func (s *Server) renderDirectory(w http.ResponseWriter, r *http.Request, status int, v directoryView) {
	v.Chrome = s.chrome(r, titled("Directory of organisations", v.Errors))
	s.render(w, r, status, "staff-directory", v)
}

// saveDirectory adds one organisation, or imports a CSV file when the form
// sends one, and goes back to the list.
func (s *Server) saveDirectory(w http.ResponseWriter, r *http.Request) {
	v, err := s.newDirectoryView(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if r.PostFormValue("action") == "import" {
		s.importDirectory(w, r, v)
		return
	}
	f := &v.Form
	f.ID, f.Name, f.Kind = postedValue(r, "id"), postedValue(r, "name"), postedValue(r, "kind")
	f.Areas, f.Phone, f.Email = postedValue(r, "areas"), postedValue(r, "phone"), postedValue(r, "email")
	f.Website, f.Description = postedValue(r, "website"), postedValue(r, "description")
	var problems Errors
	if f.ID == "" {
		problems = append(problems, FieldError{"directory-id", "Enter an id for the organisation, such as citizens-advice-fife"})
	}
	if f.Name == "" {
		problems = append(problems, FieldError{"directory-name", "Enter the organisation's name"})
	}
	if f.Kind == "" {
		problems = append(problems, FieldError{"directory-kind", "Choose what kind of organisation it is"})
	}
	if f.Areas == "" {
		problems = append(problems, FieldError{"directory-areas", "Enter the council areas it serves, or all of Scotland"})
	}
	if len(problems) > 0 {
		v.Errors = problems
		s.renderDirectory(w, r, http.StatusBadRequest, v)
		return
	}
	o := casework.Organisation{ID: f.ID, Name: f.Name, Kind: casework.OrganisationKind(f.Kind),
		Areas: strings.FieldsFunc(f.Areas, func(r rune) bool { return r == ';' || r == '\n' || r == ',' }),
		Phone: f.Phone, Email: f.Email, Website: f.Website, Description: f.Description}
	o, err = s.svc.AddOrganisation(r.Context(), o)
	if e, ok := errs.As(err); ok && e.Kind != errs.KindInternal {
		field, known := directoryFields[e.Field]
		if !known {
			field = "directory-id"
		}
		status := http.StatusBadRequest
		if e.Kind == errs.KindConflict {
			status = http.StatusConflict
		}
		v.Errors = Errors{{field, asSentence(e.Message)}}
		s.renderDirectory(w, r, status, v)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/directory?saved="+o.ID, http.StatusSeeOther)
}

// importDirectory imports an uploaded CSV file, all or nothing, and lists
// every problem with it by row and column.
func (s *Server) importDirectory(w http.ResponseWriter, r *http.Request, v directoryView) {
	file, _, err := r.FormFile("file")
	if err != nil {
		v.Errors = Errors{{"directory-file", "Choose a CSV file to import"}}
		s.renderDirectory(w, r, http.StatusBadRequest, v)
		return
	}
	defer file.Close()
	n, err := s.svc.ImportDirectory(r.Context(), io.Reader(file))
	var problems app.ImportProblems
	if errors.As(err, &problems) {
		msg := "The file has " + strconv.Itoa(len(problems)) + " problems, so nothing was imported. Correct them and import it again"
		if len(problems) == 1 {
			msg = "The file has a problem, so nothing was imported. Correct it and import it again"
		}
		v.Errors = Errors{{"directory-file", msg}}
		for _, p := range problems {
			v.ImportProblems = append(v.ImportProblems, asSentence(p.String()))
		}
		s.renderDirectory(w, r, http.StatusBadRequest, v)
		return
	}
	if e, ok := errs.As(err); ok && e.Kind != errs.KindInternal {
		// Someone else added one of the ids in the meantime.
		v.Errors = Errors{{"directory-file", asSentence(e.Message) + ". Nothing was imported"}}
		s.renderDirectory(w, r, http.StatusConflict, v)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/directory?imported="+strconv.Itoa(n), http.StatusSeeOther)
}

// setDirectoryActive stops new referrals to an organisation, or starts
// them again. Referrals already made keep their copy of the entry.
func (s *Server) setDirectoryActive(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	active := postedValue(r, "active") == "yes"
	err := s.svc.SetOrganisationActive(r.Context(), id, active)
	if errs.KindOf(err) == errs.KindNotFound {
		s.renderErrorMessage(w, r, http.StatusNotFound, "There is no organisation with that id in the directory. Go back to the directory.")
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	what := "stopped"
	if active {
		what = "started"
	}
	http.Redirect(w, r, "/staff/directory?"+what+"="+url.QueryEscape(id)+"#organisation-"+id, http.StatusSeeOther)
}

// listDirectory is GET /api/v1/directory: the organisations we refer
// clients to or tell them about, optionally only those in use, or only
// those serving an area.
func (s *Server) listDirectory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	activeOnly := false
	switch q.Get("active") {
	case "", "false":
	case "true":
		activeOnly = true
	default:
		s.writeError(w, r, errs.Invalid("active", "write true for only those we refer to now, or leave it out for all"))
		return
	}
	os, err := s.svc.Organisations(r.Context(), activeOnly)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	area := strings.TrimSpace(q.Get("area"))
	items := make([]casework.Organisation, 0, len(os))
	for _, o := range os {
		if area == "" || o.Serves(area) {
			items = append(items, o.Organisation)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
