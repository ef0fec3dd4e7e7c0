package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
)

const testDirectory = "id,name,kind,areas,phone,email,website,description\n" +
	"aaa-glasgow,Aaa Glasgow Advice,independent-advice,Glasgow City,0141 000 0000,,,\n" +
	"citizens-advice-fife,Citizens Advice Fife,independent-advice,Fife,0345 140 0095,,https://example.org/fife,Free advice\n" +
	"advocacy-all,Advocacy for All,advocacy,all of Scotland,,help@example.org,,\n"

// upload sends the directory import form with a CSV file.
func (v *visitor) upload(path, file string) response {
	v.s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", v.csrf)
	mw.WriteField("action", "import")
	fw, _ := mw.CreateFormFile("file", "directory.csv")
	io.WriteString(fw, file)
	mw.Close()
	req, err := http.NewRequest("POST", v.s.srv.URL+path, &buf)
	if err != nil {
		v.s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, val := range v.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: val})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		v.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b)}
}

func (d *desk) organisations() int {
	d.t.Helper()
	os, err := d.svc.Organisations(context.Background(), false)
	if err != nil {
		d.t.Fatal(err)
	}
	return len(os)
}

func TestDirectoryPage(t *testing.T) {
	d := newDesk(t)
	m := d.staff("morgan@example.org", app.RoleManager)
	m.get("/staff/directory")

	// A bad file: every problem by row and column, nothing written.
	bad := "id,name,kind,areas,phone,email,website,description\n" +
		"ok-one,OK,other,Fife,01234 567890,,,\n" +
		"x-y,X,charity,Fife,01234 567890,,,\n" +
		"z-z,,other,Fife,01234 567890,,,\n"
	p := m.upload("/staff/directory", bad)
	if p.status != http.StatusBadRequest || !strings.Contains(p.text(), "Row 3, column kind: \"charity\" is not a kind") ||
		!strings.Contains(p.text(), "Row 4, column name: give the organisation's name") || !strings.Contains(p.text(), "nothing was imported") {
		t.Fatalf("a bad file: %d\n%s", p.status, p.text())
	}
	if n := d.organisations(); n != 0 {
		t.Fatalf("a bad file wrote %d organisations", n)
	}
	// A good one.
	m.get("/staff/directory")
	if p := m.upload("/staff/directory", testDirectory); p.status != http.StatusSeeOther || p.location != "/staff/directory?imported=3" {
		t.Fatalf("a good file: %d %q\n%s", p.status, p.location, p.text())
	}
	p = m.get("/staff/directory?imported=3")
	if !strings.Contains(p.text(), "3 organisations are added") || !strings.Contains(p.text(), "Citizens Advice Fife") {
		t.Errorf("the list after importing:\n%s", p.text())
	}
	// The same file again clashes with the directory.
	if p := m.upload("/staff/directory", testDirectory); p.status != http.StatusBadRequest ||
		!strings.Contains(p.text(), "Row 2, column id: there is already an organisation with the id aaa-glasgow") {
		t.Errorf("importing twice: %d\n%s", p.status, p.text())
	}
	// No file.
	m.get("/staff/directory")
	if p := m.post("/staff/directory", "action", "import"); p.status != http.StatusBadRequest || !strings.Contains(p.text(), "Choose a CSV file") {
		t.Errorf("no file: %d", p.status)
	}

	// One at a time.
	p = m.post("/staff/directory", "id", "highland-help", "name", "Highland Help", "kind", "local-service", "areas", "Highland", "phone", "call us")
	if p.status != http.StatusBadRequest || !strings.Contains(p.text(), `"call us" is not a phone number`) || !strings.Contains(p.body, `href="#directory-phone"`) {
		t.Errorf("a bad phone number: %d\n%s", p.status, p.text())
	}
	p = m.post("/staff/directory", "name", "No Id")
	if p.status != http.StatusBadRequest || !strings.Contains(p.text(), "Enter an id") || !strings.Contains(p.text(), "Choose what kind") {
		t.Errorf("missing fields: %d", p.status)
	}
	if n := d.organisations(); n != 3 {
		t.Fatalf("refused forms wrote: %d organisations", n)
	}
	p = m.post("/staff/directory", "id", "highland-help", "name", "Highland Help", "kind", "local-service", "areas", "Highland", "phone", "01463 000000")
	if p.status != http.StatusSeeOther || p.location != "/staff/directory?saved=highland-help" {
		t.Errorf("adding one: %d %q", p.status, p.location)
	}

	// Caseworkers read it but cannot add to it.
	c := d.staff("casey@example.org", app.RoleCaseworker)
	p = c.get("/staff/directory")
	if p.status != http.StatusOK || !strings.Contains(p.text(), "Highland Help") || strings.Contains(p.body, `action="/staff/directory"`) {
		t.Errorf("as a caseworker: %d", p.status)
	}
}

func TestReferralForms(t *testing.T) {
	d := newDesk(t)
	if _, err := d.svc.ImportDirectory(context.Background(), strings.NewReader(testDirectory)); err != nil {
		t.Fatal(err)
	}
	ref := d.apply(deskADP, "Morag Example", 3)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	page := "/staff/cases/" + ref.String()

	p := u.get(page)
	fife, all, glasgow := strings.Index(p.body, "Citizens Advice Fife ("), strings.Index(p.body, "Advocacy for All ("), strings.Index(p.body, "Aaa Glasgow Advice (")
	if !strings.Contains(p.body, `<h2 id="referrals">`) || fife < 0 || !(fife < all && all < glasgow) {
		t.Fatalf("the referral form lists Fife's first, then all of Scotland, then the rest: %d %d %d", fife, all, glasgow)
	}

	version := d.app(ref).Version
	// Without consent: refused, naming the checkbox; nothing written.
	p = u.caseForm(ref, "referral", "referral_organisation", "citizens-advice-fife", "referral_shared", "Your name and phone number")
	if p.status != http.StatusBadRequest || !strings.Contains(p.text(), "A referral needs the client's consent; ask them first") ||
		!strings.Contains(p.body, `href="#referral-consent"`) {
		t.Errorf("no consent: %d", p.status)
	}
	p = u.caseForm(ref, "referral", "referral_organisation", "citizens-advice-fife", "referral_consent", "yes")
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, `href="#referral-shared"`) {
		t.Errorf("nothing shared: %d", p.status)
	}
	p = u.caseForm(ref, "referral", "referral_organisation", "nobody", "referral_consent", "yes", "referral_shared", "Your name")
	if p.status != http.StatusBadRequest || !strings.Contains(p.text(), `no organisation with the id "nobody"`) {
		t.Errorf("an unknown organisation: %d", p.status)
	}
	p = u.caseForm(ref, "signpost", "signpost_help", "a Council Tax Reduction, which you are entitled to", "signpost_from", "your local council")
	if p.status != http.StatusBadRequest || !strings.Contains(p.text(), "describe it as something they may be able to get") ||
		!strings.Contains(p.body, `href="#signpost-help"`) {
		t.Errorf("a promise: %d\n%s", p.status, p.text())
	}
	p = u.caseForm(ref, "signpost", "signpost_from", "your local council")
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, `href="#signpost-help"`) {
		t.Errorf("no help: %d", p.status)
	}
	if v := d.app(ref).Version; v != version {
		t.Fatalf("refused forms wrote events: version %d, want %d", v, version)
	}

	// With consent.
	if p := u.caseForm(ref, "referral", "referral_organisation", "citizens-advice-fife", "referral_consent", "yes",
		"referral_shared", "Your name, your phone number and that you need help with rent arrears", "referral_reason", "Debt advice"); p.status != http.StatusSeeOther {
		t.Fatalf("a referral: %d\n%s", p.status, p.text())
	}
	if p := u.caseForm(ref, "signpost", "signpost_help", "a Council Tax Reduction", "signpost_from", "your local council"); p.status != http.StatusSeeOther {
		t.Fatalf("a signpost: %d\n%s", p.status, p.text())
	}
	a := d.app(ref)
	if len(a.Referrals) != 1 || len(a.Signposts) != 1 {
		t.Fatalf("recorded: %+v %+v", a.Referrals, a.Signposts)
	}
	p = u.get(page)
	for _, want := range []string{"Referred to Citizens Advice Fife, with the client's consent. Shared: Your name",
		"Told the client they may be able to get a Council Tax Reduction from your local council"} {
		if !strings.Contains(p.text(), want) {
			t.Errorf("the case history lacks %q", want)
		}
	}

	// The client's page: no promises.
	client := d.visitor()
	client.signInAsClient(ref, deskDOB)
	p = client.get("/application")
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(p.text(), "")
	for _, want := range []string{"We referred you to Citizens Advice Fife on " + a.Referrals[0].On.Long() + ", with your consent. We shared: Your name",
		"If they have not by " + a.Referrals[0].TellUsBy.Long() + ", tell us",
		"You may be able to get a Council Tax Reduction from your local council.",
		`href="/charter#commitment-1-10"`, `href="/charter#commitment-1-11"`} {
		if !strings.Contains(text, want) && !strings.Contains(p.body, want) {
			t.Errorf("the client's page lacks %q", want)
		}
	}
	if w := casework.Promises(text); w != "" {
		t.Errorf("the client's page promises: %q", w)
	}
}

func TestDirectorySwitchAndAPI(t *testing.T) {
	d := newDesk(t)
	ctx := context.Background()
	for _, o := range []casework.Organisation{
		{ID: "advice-fife", Name: "Fife Advice Example", Kind: "independent-advice", Areas: []string{"Fife"}, Phone: "0808 157 0100", Active: true},
		{ID: "advice-all", Name: "Scotland Advice Example", Kind: "independent-advice", Areas: []string{casework.AllScotland}, Phone: "0808 157 0101", Active: true},
		{ID: "money-dundee", Name: "Dundee Money Example", Kind: "money-advice", Areas: []string{"Dundee City"}, Phone: "0808 157 0102", Active: true},
	} {
		if _, err := d.svc.AddOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	caseworker := d.staff("casey@example.org", app.RoleCaseworker)
	if p := caseworker.get("/staff/directory"); p.status != http.StatusOK || strings.Contains(p.body, "Stop referrals") {
		t.Error("a caseworker is offered the manager's switch")
	}
	if p := caseworker.post("/staff/directory/advice-fife/active", "active", "no"); p.status != http.StatusForbidden {
		t.Errorf("a caseworker switched an organisation off: %d", p.status)
	}
	manager := d.staff("mo@example.org", app.RoleManager)
	manager.get("/staff/directory")
	p := manager.post("/staff/directory/advice-fife/active", "active", "no")
	if p.status != http.StatusSeeOther {
		t.Fatalf("switching off: %d", p.status)
	}
	if page := manager.get(p.location); !strings.Contains(page.body, "We will not refer anyone new to Fife Advice Example") {
		t.Error("the page does not say what changed")
	}
	if p := manager.post("/staff/directory/no-such-org/active", "active", "no"); p.status != http.StatusNotFound {
		t.Errorf("unknown organisation: %d", p.status)
	}

	token, _, err := d.svc.CreateToken(ctx, app.RoleCaseworker, "directory test")
	if err != nil {
		t.Fatal(err)
	}
	get := func(q string) []string {
		req, _ := http.NewRequest(http.MethodGet, d.srv.URL+"/api/v1/directory"+q, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Items []casework.Organisation }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", q, resp.StatusCode, err)
		}
		var ids []string
		for _, o := range out.Items {
			ids = append(ids, o.ID)
		}
		return ids
	}
	if got := strings.Join(get(""), ","); got != "money-dundee,advice-fife,advice-all" {
		t.Errorf("all: %s", got)
	}
	if got := strings.Join(get("?active=true&area=Fife"), ","); got != "advice-all" {
		t.Errorf("active in Fife: %s", got)
	}
}
