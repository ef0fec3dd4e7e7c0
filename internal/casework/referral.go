package casework

import (
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Referrals and signposting (charter commitments 1.10 and 1.11): we refer
// the client to other organisations where they could help, only with the
// client's consent and saying what we shared; and we tell the client about
// other help they may be able to get, without promising they will get it.
//
// The directory of organisations is a register the app layer keeps; a
// referral carries a snapshot of the organisation as the directory held it,
// so the fold stays pure and the log shows who we sent the client to.

// The event types of referrals and signposting.
const (
	TypeReferralMade        EventType = "referral_made"
	TypeOtherHelpSignposted EventType = "other_help_signposted"
)

func init() {
	register(func() Body { return &ReferralMade{} })
	register(func() Body { return &OtherHelpSignposted{} })
}

// ---- The directory ----

// OrganisationKind is what an organisation in the directory does.
type OrganisationKind string

const (
	KindIndependentAdvice OrganisationKind = "independent-advice"
	KindAdvocacy          OrganisationKind = "advocacy"
	KindMoneyAdvice       OrganisationKind = "money-advice"
	KindLocalService      OrganisationKind = "local-service"
	KindOtherOrganisation OrganisationKind = "other"
)

// OrganisationKinds are the kinds, in the order pages list them, with
// their labels.
var OrganisationKinds = []struct {
	ID    OrganisationKind
	Label string
}{
	{KindIndependentAdvice, "Independent advice"},
	{KindAdvocacy, "Advocacy"},
	{KindMoneyAdvice, "Money advice"},
	{KindLocalService, "Local service"},
	{KindOtherOrganisation, "Other"},
}

// OrganisationKindLabel is a kind as people read it.
func OrganisationKindLabel(k OrganisationKind) string {
	for _, o := range OrganisationKinds {
		if o.ID == k {
			return o.Label
		}
	}
	return string(k)
}

func validKind(k OrganisationKind) bool {
	return slices.ContainsFunc(OrganisationKinds, func(o struct {
		ID    OrganisationKind
		Label string
	}) bool {
		return o.ID == k
	})
}

// AllScotland is the area of an organisation that serves everyone.
const AllScotland = "all of Scotland"

// LocalAuthorities are Scotland's 32 council areas, as the directory and
// clients' addresses name them.
var LocalAuthorities = []string{
	"Aberdeen City", "Aberdeenshire", "Angus", "Argyll and Bute", "City of Edinburgh", "Clackmannanshire",
	"Dumfries and Galloway", "Dundee City", "East Ayrshire", "East Dunbartonshire", "East Lothian",
	"East Renfrewshire", "Falkirk", "Fife", "Glasgow City", "Highland", "Inverclyde", "Midlothian", "Moray",
	"Na h-Eileanan Siar", "North Ayrshire", "North Lanarkshire", "Orkney Islands", "Perth and Kinross",
	"Renfrewshire", "Scottish Borders", "Shetland Islands", "South Ayrshire", "South Lanarkshire", "Stirling",
	"West Dunbartonshire", "West Lothian",
}

// areaAliases are other names people use for council areas.
var areaAliases = map[string]string{
	"edinburgh": "City of Edinburgh", "glasgow": "Glasgow City", "aberdeen": "Aberdeen City",
	"dundee": "Dundee City", "western isles": "Na h-Eileanan Siar", "eilean siar": "Na h-Eileanan Siar",
	"comhairle nan eilean siar": "Na h-Eileanan Siar", "orkney": "Orkney Islands", "shetland": "Shetland Islands",
	"borders": "Scottish Borders", "perth & kinross": "Perth and Kinross", "argyll & bute": "Argyll and Bute",
	"dumfries & galloway": "Dumfries and Galloway", "scotland": AllScotland, "all scotland": AllScotland,
}

// CanonicalArea returns an area's name as the directory spells it, and
// whether it is a council area or all of Scotland.
func CanonicalArea(s string) (string, bool) {
	k := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if k == strings.ToLower(AllScotland) {
		return AllScotland, true
	}
	if a, ok := areaAliases[k]; ok {
		return a, true
	}
	for _, a := range LocalAuthorities {
		if strings.ToLower(a) == k {
			return a, true
		}
	}
	return strings.TrimSpace(s), false
}

// Organisation is one entry of the directory: somewhere we may refer a
// client to or tell them about.
type Organisation struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Kind        OrganisationKind `json:"kind"`
	Areas       []string         `json:"areas"` // council areas, or just AllScotland
	Phone       string           `json:"phone,omitempty"`
	Email       string           `json:"email,omitempty"`
	Website     string           `json:"website,omitempty"`
	Description string           `json:"description,omitempty"`
	Active      bool             `json:"active"`
}

// Serves reports whether the organisation works in a client's area. An
// organisation for all of Scotland serves everyone; an unknown area is
// served by none but those.
func (o *Organisation) Serves(area string) bool {
	if slices.Contains(o.Areas, AllScotland) {
		return true
	}
	a, ok := CanonicalArea(area)
	return ok && slices.Contains(o.Areas, a)
}

// ValidOrganisationID reports whether id is a directory slug: 2 to 60
// lower-case letters, digits and single hyphens, not at either end.
func ValidOrganisationID(id string) bool {
	if len(id) < 2 || len(id) > 60 || id[0] == '-' || id[len(id)-1] == '-' || strings.Contains(id, "--") {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Validate checks an organisation's details, trims them and puts its
// areas in the directory's spelling and order. Errors name the field
// ("id", "name", "kind", "areas", "phone", "email", "website").
func (o *Organisation) Validate() error {
	o.ID, o.Name = strings.TrimSpace(o.ID), strings.TrimSpace(o.Name)
	o.Phone, o.Email, o.Website = strings.TrimSpace(o.Phone), strings.TrimSpace(o.Email), strings.TrimSpace(o.Website)
	o.Description = strings.TrimSpace(o.Description)
	switch {
	case !ValidOrganisationID(o.ID):
		return errs.Invalid("id", "give an id of 2 to 60 lower-case letters, digits and hyphens, such as citizens-advice-fife")
	case o.Name == "":
		return errs.Invalid("name", "give the organisation's name")
	case !validKind(o.Kind):
		return errs.Invalid("kind", "%q is not a kind of organisation in the directory; choose independent-advice, advocacy, money-advice, local-service or other", string(o.Kind))
	}
	var areas []string
	seen := map[string]bool{}
	for _, a := range o.Areas {
		if strings.TrimSpace(a) == "" {
			continue
		}
		c, ok := CanonicalArea(a)
		if !ok {
			return errs.Invalid("areas", "%q is not a Scottish council area; give council names such as Fife or Glasgow City, or %q", strings.TrimSpace(a), AllScotland)
		}
		if !seen[c] {
			seen[c] = true
			areas = append(areas, c)
		}
	}
	switch {
	case len(areas) == 0:
		return errs.Invalid("areas", "say which council areas the organisation serves, or %q", AllScotland)
	case seen[AllScotland] && len(areas) > 1:
		return errs.Invalid("areas", "an organisation for %s needs no council areas as well", AllScotland)
	}
	slices.SortFunc(areas, func(a, b string) int { return strings.Compare(a, b) })
	o.Areas = areas
	if o.Phone == "" && o.Email == "" && o.Website == "" {
		return errs.Invalid("phone", "give at least one way to contact the organisation: a phone number, an email address or a website")
	}
	if o.Phone != "" && !validPhone(o.Phone) {
		return errs.Invalid("phone", "%q is not a phone number; use digits, spaces and a leading +, such as 0800 028 1456", o.Phone)
	}
	if o.Email != "" {
		if a, err := mail.ParseAddress(o.Email); err != nil || a.Address != o.Email {
			return errs.Invalid("email", "%q is not an email address", o.Email)
		}
	}
	if o.Website != "" {
		u, err := url.Parse(o.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return errs.Invalid("website", "%q is not a web address; start it with https://", o.Website)
		}
	}
	return nil
}

func validPhone(p string) bool {
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 15
}

// ---- State ----

// ReferralContactWorkingDays is how many working days after a referral we
// ask the client to tell us if the organisation has not been in touch.
const ReferralContactWorkingDays = 10

// Referral is a referral we made, as the client reads it.
type Referral struct {
	Number       int           `json:"number"` // 1 for the first on this application
	On           calendar.Date `json:"on"`
	Organisation Organisation  `json:"organisation"` // as the directory held it
	Shared       string        `json:"shared"`
	Reason       string        `json:"reason,omitempty"`
	// TellUsBy is when the client should tell us if the organisation has
	// not been in touch.
	TellUsBy calendar.Date `json:"tell_us_by"`
}

// Signpost is other help we told the client about.
type Signpost struct {
	On      calendar.Date `json:"on"`
	Help    string        `json:"help"`              // "a Council Tax Reduction"
	From    string        `json:"from"`              // "your local council"
	Details string        `json:"details,omitempty"` // how to ask for it
}

// ---- Events ----

// ReferralMade records that we referred the client to an organisation in
// the directory, with their consent, and what we shared with it
// (commitment 1.10). The service fills in OrganisationSnapshot.
type ReferralMade struct {
	Organisation         string        `json:"organisation"` // the organisation's id
	OrganisationSnapshot *Organisation `json:"organisation_snapshot,omitempty"`
	Consent              bool          `json:"consent"`
	Shared               string        `json:"shared"`
	Reason               string        `json:"reason,omitempty"`
}

func (*ReferralMade) Type() EventType { return TypeReferralMade }

// ConsentMessage is what a referral without consent is refused with.
const ConsentMessage = "a referral needs the client's consent; ask them first"

func (b *ReferralMade) apply(a *Application, e Event, r Rules) error {
	if err := a.requireOpen("make a referral"); err != nil {
		return err
	}
	shared := strings.TrimSpace(b.Shared)
	p := b.OrganisationSnapshot
	switch {
	case strings.TrimSpace(b.Organisation) == "":
		return errs.Invalid("body.organisation", "choose the organisation from the directory")
	case !b.Consent:
		return errs.Invalid("body.consent", ConsentMessage)
	case shared == "":
		return errs.Invalid("body.shared", "say what we shared with the organisation, so the client knows (for example their name, phone number and what they need help with)")
	case p == nil || p.ID != b.Organisation:
		return errs.Invalid("body.organisation_snapshot", "the organisation's details from the directory are missing; make referrals through the service, which fills them in")
	case !p.Active:
		return errs.Invalid("body.organisation", "%s is no longer in use in the directory; choose another organisation", p.Name)
	}
	on := LocalDate(e.At)
	by := on.AddDays(14)
	if r.Calendar != nil {
		by = r.Calendar.AddWorkingDays(on, ReferralContactWorkingDays)
	}
	snap := *p
	snap.Areas = slices.Clone(p.Areas)
	ref := Referral{Number: len(a.Referrals) + 1, On: on, Organisation: snap, Shared: shared,
		Reason: strings.TrimSpace(b.Reason), TellUsBy: by}
	// A new slice: the state a refused event leaves alone shares the old one.
	a.Referrals = append(slices.Clip(a.Referrals), ref)
	a.LastUpdateOn = on
	return nil
}

// OtherHelpSignposted records that we told the client about other help
// they may be able to get (commitment 1.11). The client reads it as "You
// may be able to get HELP from FROM", so it must not promise anything.
type OtherHelpSignposted struct {
	Help    string `json:"help"`
	From    string `json:"from"`
	Details string `json:"details,omitempty"`
}

func (*OtherHelpSignposted) Type() EventType { return TypeOtherHelpSignposted }

// promiseWords are phrases that promise help we cannot promise.
var promiseWords = []string{
	"you are entitled", "you're entitled", "you are eligible", "you're eligible", "you will get", "you'll get",
	"you will receive", "you'll receive", "you will be given", "you qualify", "you will qualify", "you definitely",
	"guaranteed", "you are owed", "you're owed",
}

// Promises returns the first phrase in s that promises help, or "".
func Promises(s string) string {
	low := strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("’", "'", "‘", "'").Replace(s)), " "))
	for _, w := range promiseWords {
		if strings.Contains(low, w) {
			return w
		}
	}
	return ""
}

// SignpostPromiseMessage is what promising text is refused with.
const SignpostPromiseMessage = "do not promise it: the client reads \"You may be able to get …\", so describe it as something they may be able to get"

func (b *OtherHelpSignposted) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("tell the client about other help"); err != nil {
		return err
	}
	help, from, details := strings.TrimSpace(b.Help), strings.TrimSpace(b.From), strings.TrimSpace(b.Details)
	// "You may be able to get you may be able to get …" reads badly.
	for _, prefix := range []string{"you may be able to get ", "you might be able to get "} {
		if len(help) >= len(prefix) && strings.EqualFold(help[:len(prefix)], prefix) {
			help = strings.TrimSpace(help[len(prefix):])
		}
	}
	help = strings.TrimRight(help, ". ")
	for _, f := range []struct{ field, text string }{{"body.help", help}, {"body.from", from}, {"body.details", details}} {
		if w := Promises(f.text); w != "" {
			return errs.Invalid(f.field, "%q promises the help; %s", w, SignpostPromiseMessage)
		}
	}
	switch {
	case help == "":
		return errs.Invalid("body.help", "say what help the client may be able to get, for example a Council Tax Reduction")
	case from == "":
		return errs.Invalid("body.from", "say who the client may be able to get it from, for example your local council")
	case len(help) > 300:
		return errs.Invalid("body.help", "keep it to 300 characters; put more in the details")
	}
	on := LocalDate(e.At)
	a.Signposts = append(slices.Clip(a.Signposts), Signpost{On: on, Help: help, From: from, Details: details})
	a.LastUpdateOn = on
	return nil
}

// String is the signpost as the client reads it.
func (s Signpost) String() string {
	return "You may be able to get " + s.Help + " from " + s.From + "."
}
