package casework

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// Consultations (charter commitments 2.10, 2.11 and 2.12): we only hold one
// when the information we already have is not enough to decide, and say
// why; we put the client's wellbeing first (the way, the place, someone
// with them, breaks); and the practitioner understands the client's
// conditions. People read the word "consultation", never "assessment".
//
// The client's health conditions are sensitive: they live in the event log
// and on staff pages, never in logs or messages.

// The event types of consultations.
const (
	TypeClientDetailsUpdated  EventType = "client_details_updated"
	TypeConsultationProposed  EventType = "consultation_proposed"
	TypeConsultationScheduled EventType = "consultation_scheduled"
	TypeConsultationHeld      EventType = "consultation_held"
	TypeConsultationCancelled EventType = "consultation_cancelled"
)

// StageConsultation is the optional stage a benefit may have for
// consultations; scheduling one moves the application into it.
const StageConsultation = "consultation"

func init() {
	register(func() Body { return &ClientDetailsUpdated{} })
	register(func() Body { return &ConsultationProposed{} })
	register(func() Body { return &ConsultationScheduled{} })
	register(func() Body { return &ConsultationHeld{} })
	register(func() Body { return &ConsultationCancelled{} })
}

// ---- Conditions ----

// ConditionCategory is one kind of health condition, from a small fixed
// list, so that a client's conditions can be matched with what a
// practitioner understands.
type ConditionCategory struct {
	ID    string `json:"id"`
	Label string `json:"label"` // as staff read it
}

// Conditions is the vocabulary of condition categories, in the order pages
// list them.
var Conditions = []ConditionCategory{
	{"mental-health", "Mental health"},
	{"musculoskeletal", "Bones, joints and muscles (musculoskeletal)"},
	{"neurological", "Brain and nerves (neurological)"},
	{"sensory", "Sight or hearing (sensory)"},
	{"learning-disability", "Learning disability"},
	{"respiratory", "Breathing (respiratory)"},
	{"cardiovascular", "Heart and circulation (cardiovascular)"},
	{"other", "Another kind of condition"},
}

// ConditionLabel returns the label of a condition category, or the id
// itself for one not in the vocabulary.
func ConditionLabel(id string) string {
	for _, c := range Conditions {
		if c.ID == id {
			return c.Label
		}
	}
	return id
}

// ValidCondition reports whether id is in the vocabulary.
func ValidCondition(id string) bool {
	return slices.ContainsFunc(Conditions, func(c ConditionCategory) bool { return c.ID == id })
}

// conditionIDs is the vocabulary as a list for messages.
func conditionIDs() string {
	ids := make([]string, len(Conditions))
	for i, c := range Conditions {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

// checkConditions checks a list of condition categories and returns it in
// the vocabulary's order. field names the list in errors; empty says what
// to tell a person who gave none, or "" if none is allowed.
func checkConditions(field string, ids []string, empty string) ([]string, error) {
	if len(ids) == 0 && empty != "" {
		return nil, errs.Invalid(field, "%s", empty)
	}
	seen := map[string]bool{}
	for i, id := range ids {
		f := field + "[" + strconv.Itoa(i) + "]"
		switch {
		case !ValidCondition(id):
			return nil, errs.Invalid(f, "%q is not a kind of condition we record; choose from %s", id, conditionIDs())
		case seen[id]:
			return nil, errs.Invalid(f, "%q is in the list twice", id)
		}
		seen[id] = true
	}
	var out []string
	for _, c := range Conditions {
		if seen[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out, nil
}

// UncoveredConditions returns the client's conditions that none of a
// practitioner's specialisms covers, in the order given.
func UncoveredConditions(conditions, specialisms []string) []string {
	var out []string
	for _, c := range conditions {
		if !slices.Contains(specialisms, c) {
			out = append(out, c)
		}
	}
	return out
}

// conditionWords lists conditions by their short names for messages:
// "mental health and sensory".
func conditionWords(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = strings.ReplaceAll(id, "-", " ")
	}
	return andList(names)
}

func andList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// ---- Ways and places ----

// How a consultation is held.
const (
	HowPhone    = "phone"
	HowVideo    = "video"
	HowInPerson = "in-person"
)

// Where an in-person consultation is held.
const (
	PlaceHome        = "home"
	PlaceLocalOffice = "local-office"
	PlaceOther       = "other"
)

func validHow(h string) bool   { return h == HowPhone || h == HowVideo || h == HowInPerson }
func validPlace(p string) bool { return p == PlaceHome || p == PlaceLocalOffice || p == PlaceOther }

// ---- Sentences ----

// MinSentenceWords is the fewest words a justification, a reason to go
// ahead without a matching practitioner or an outcome report may have: each
// is read by a person (often the client) and must say something.
const MinSentenceWords = 5

// isSentence reports whether s says something: at least MinSentenceWords
// words with letters in them.
func isSentence(s string) bool {
	n := 0
	for _, w := range strings.Fields(s) {
		if strings.ContainsFunc(w, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 127 }) {
			n++
		}
	}
	return n >= MinSentenceWords
}

// ---- State ----

// ConsultationPreferences say how the client would like a consultation to
// be held and what would help them (commitment 2.11).
type ConsultationPreferences struct {
	How         string `json:"how,omitempty"`          // phone | video | in-person; empty: no preference
	Place       string `json:"place,omitempty"`        // home | local-office | other, for in person
	PlaceDetail string `json:"place_detail,omitempty"` // which office, or where "other" is
	Companion   bool   `json:"companion,omitempty"`    // someone will come with them
	Breaks      bool   `json:"breaks,omitempty"`       // they need breaks
	Adjustments string `json:"adjustments,omitempty"`  // anything else that would help
}

// ClientNeeds are the client's health conditions and consultation
// preferences as last recorded. Sensitive: staff pages only.
type ClientNeeds struct {
	Conditions     []string                `json:"conditions"`
	ConditionNotes string                  `json:"condition_notes,omitempty"`
	Preferences    ConsultationPreferences `json:"consultation_preferences"`
	RecordedOn     calendar.Date           `json:"recorded_on"`
}

// Practitioner is a person who holds consultations: a registered
// professional with the conditions they understand (commitment 2.12).
type Practitioner struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Role           string   `json:"role"`           // their profession, as the client is told it
	Qualifications []string `json:"qualifications"` // "Registered nurse (NMC)"
	Specialisms    []string `json:"specialisms"`    // condition categories
	Active         bool     `json:"active"`
}

// Validate checks a practitioner's details and puts the specialisms in the
// vocabulary's order. The id is the caller's to give.
func (p *Practitioner) Validate() error {
	p.Name, p.Role = strings.TrimSpace(p.Name), strings.TrimSpace(p.Role)
	if p.Name == "" {
		return errs.Invalid("name", "give the practitioner's name")
	}
	if p.Role == "" {
		return errs.Invalid("role", "give the practitioner's profession, as clients are told it, for example Occupational therapist")
	}
	var quals []string
	for _, q := range p.Qualifications {
		if q = strings.TrimSpace(q); q != "" {
			quals = append(quals, q)
		}
	}
	if len(quals) == 0 {
		return errs.Invalid("qualifications", "give at least one qualification or registration, for example Registered nurse (NMC)")
	}
	p.Qualifications = quals
	specs, err := checkConditions("specialisms", p.Specialisms,
		"choose at least one kind of condition the practitioner understands")
	if err != nil {
		return err
	}
	p.Specialisms = specs
	return nil
}

// ConsultationStatus is where a consultation is.
type ConsultationStatus string

const (
	ConsultationProposedStatus  ConsultationStatus = "proposed"
	ConsultationScheduledStatus ConsultationStatus = "scheduled"
	ConsultationHeldStatus      ConsultationStatus = "held"
	ConsultationCancelledStatus ConsultationStatus = "cancelled"
)

// ConsultationFinding is what a consultation showed about one criterion.
type ConsultationFinding struct {
	Criterion string `json:"criterion"`
	Note      string `json:"note"`
}

// Consultation is the latest consultation on an application. A cancelled
// or held one may be followed by a new proposal, which replaces it here
// (the event log keeps them all).
type Consultation struct {
	Number int                `json:"number"` // 1 for the first on this application
	Status ConsultationStatus `json:"status"`

	ProposedOn         calendar.Date `json:"proposed_on"`
	ClientAsked        bool          `json:"client_asked,omitempty"`
	MissingInformation string        `json:"missing_information,omitempty"`
	WhyNotEnough       string        `json:"why_not_enough,omitempty"`

	ScheduledOn    calendar.Date `json:"scheduled_on,omitzero"`
	StartsAt       time.Time     `json:"starts_at,omitzero"`
	How            string        `json:"how,omitempty"`
	Place          string        `json:"place,omitempty"`
	PlaceDetail    string        `json:"place_detail,omitempty"`
	Practitioner   *Practitioner `json:"practitioner,omitempty"` // as the registry held them when scheduled
	Uncovered      []string      `json:"uncovered_conditions,omitempty"`
	OverrideReason string        `json:"override_reason,omitempty"`
	Rescheduled    int           `json:"rescheduled,omitempty"` // times the booking was changed

	HeldOn   calendar.Date         `json:"held_on,omitzero"`
	Report   string                `json:"report,omitempty"`
	Findings []ConsultationFinding `json:"findings,omitempty"`

	CancelledOn  calendar.Date `json:"cancelled_on,omitzero"`
	CancelledBy  string        `json:"cancelled_by,omitempty"`
	CancelReason string        `json:"cancel_reason,omitempty"`
}

// Active reports whether the consultation is still to happen.
func (c *Consultation) Active() bool {
	return c != nil && (c.Status == ConsultationProposedStatus || c.Status == ConsultationScheduledStatus)
}

// Who cancelled a consultation.
const (
	CancelledByClient  = "client"
	CancelledByService = "service"
)

// The fold never changes a *ClientNeeds or *Consultation in place: each
// event builds a new one. Application.clone copies pointers, so changing
// one in place would change the state a refused event must leave alone.

// ---- Events ----

// ClientDetailsUpdated records the client's health conditions and how they
// would like a consultation held. Each one states the details in full and
// replaces the last.
type ClientDetailsUpdated struct {
	Conditions     []string                `json:"conditions"`
	ConditionNotes string                  `json:"condition_notes,omitempty"`
	Preferences    ConsultationPreferences `json:"consultation_preferences"`
}

func (*ClientDetailsUpdated) Type() EventType { return TypeClientDetailsUpdated }

func (b *ClientDetailsUpdated) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("record the client's details"); err != nil {
		return err
	}
	conds, err := checkConditions("body.conditions", b.Conditions,
		"choose at least one kind of condition; choose other if none fits")
	if err != nil {
		return err
	}
	p := b.Preferences
	p.PlaceDetail, p.Adjustments = strings.TrimSpace(p.PlaceDetail), strings.TrimSpace(p.Adjustments)
	switch {
	case p.How != "" && !validHow(p.How):
		return errs.Invalid("body.consultation_preferences.how", "choose phone, video or in-person, or leave it out for no preference")
	case p.Place != "" && !validPlace(p.Place):
		return errs.Invalid("body.consultation_preferences.place", "choose home, local-office or other, or leave it out for no preference")
	case p.Place == PlaceOther && p.PlaceDetail == "":
		return errs.Invalid("body.consultation_preferences.place_detail", "say where the client would like to meet")
	}
	a.Needs = &ClientNeeds{Conditions: conds, ConditionNotes: strings.TrimSpace(b.ConditionNotes), Preferences: p,
		RecordedOn: LocalDate(e.At)}
	return nil
}

// ConsultationProposed records that we need a consultation, and why: what
// information is missing and why what we have is not enough (commitment
// 2.10). A consultation the client asked for needs no justification.
type ConsultationProposed struct {
	ClientAsked        bool   `json:"client_asked,omitempty"`
	MissingInformation string `json:"missing_information,omitempty"`
	WhyNotEnough       string `json:"why_not_enough,omitempty"`
}

func (*ConsultationProposed) Type() EventType { return TypeConsultationProposed }

func (b *ConsultationProposed) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("propose a consultation"); err != nil {
		return err
	}
	if c := a.Consultation; c.Active() {
		return errs.Conflict("a consultation is already %s on this application; cancel it before proposing another", c.Status)
	}
	missing, why := strings.TrimSpace(b.MissingInformation), strings.TrimSpace(b.WhyNotEnough)
	if !b.ClientAsked {
		switch {
		case !isSentence(missing):
			return errs.Invalid("body.missing_information",
				"say in a full sentence (at least %d words) what information is missing; the client reads it (commitment 2.10)", MinSentenceWords)
		case !isSentence(why):
			return errs.Invalid("body.why_not_enough",
				"say in a full sentence (at least %d words) why the information we already have is not enough to decide; the client reads it (commitment 2.10)", MinSentenceWords)
		}
	}
	on := LocalDate(e.At)
	n := 1
	if a.Consultation != nil {
		n = a.Consultation.Number + 1
	}
	a.Consultation = &Consultation{Number: n, Status: ConsultationProposedStatus, ProposedOn: on,
		ClientAsked: b.ClientAsked, MissingInformation: missing, WhyNotEnough: why}
	a.LastUpdateOn = on
	return nil
}

// ConsultationScheduled books a proposed consultation, or changes the
// booking. The service fills in PractitionerSnapshot from the practitioner
// registry, so the log shows what was checked: the client's recorded
// conditions against the practitioner's specialisms (commitment 2.12).
type ConsultationScheduled struct {
	Practitioner         string        `json:"practitioner"` // the practitioner's id
	PractitionerSnapshot *Practitioner `json:"practitioner_snapshot,omitempty"`
	StartsAt             time.Time     `json:"starts_at"`
	How                  string        `json:"how"`
	Place                string        `json:"place,omitempty"`
	PlaceDetail          string        `json:"place_detail,omitempty"`
	// OverrideReason is why we go ahead with a practitioner whose
	// specialisms do not cover every one of the client's conditions.
	OverrideReason string `json:"override_reason,omitempty"`
}

func (*ConsultationScheduled) Type() EventType { return TypeConsultationScheduled }

func (b *ConsultationScheduled) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("schedule a consultation"); err != nil {
		return err
	}
	c := a.Consultation
	switch {
	case c == nil || c.Status == ConsultationCancelledStatus:
		return errs.Conflict("propose a consultation first, saying why it is needed (commitment 2.10)")
	case c.Status == ConsultationHeldStatus:
		return errs.Conflict("the consultation was held on %s; propose a new one if another is needed", c.HeldOn)
	}
	if a.Needs == nil {
		return errs.Conflict("record the client's health conditions first, so that we can check the practitioner understands them (commitment 2.12)")
	}
	p := b.PractitionerSnapshot
	switch {
	case strings.TrimSpace(b.Practitioner) == "":
		return errs.Invalid("body.practitioner", "choose the practitioner who will hold the consultation")
	case p == nil || p.ID != b.Practitioner:
		return errs.Invalid("body.practitioner_snapshot", "the practitioner's details from the register are missing; schedule consultations through the service, which fills them in")
	case !p.Active:
		return errs.Invalid("body.practitioner", "%s is not holding consultations at the moment; choose another practitioner", p.Name)
	}
	uncovered := UncoveredConditions(a.Needs.Conditions, p.Specialisms)
	override := strings.TrimSpace(b.OverrideReason)
	switch {
	case len(uncovered) > 0 && override == "":
		what, them := " condition", "it"
		if len(uncovered) > 1 {
			what, them = " conditions", "them"
		}
		return errs.Invalid("body.practitioner",
			"%s's specialisms do not cover the client's %s; choose a practitioner who understands %s, or give a reason to go ahead (commitment 2.12)",
			p.Name, conditionWords(uncovered)+what, them)
	case override != "" && !isSentence(override):
		return errs.Invalid("body.override_reason", "say in a full sentence (at least %d words) why this practitioner should hold the consultation", MinSentenceWords)
	}
	place, detail := b.Place, strings.TrimSpace(b.PlaceDetail)
	switch {
	case b.StartsAt.IsZero():
		return errs.Invalid("body.starts_at", "say when the consultation will start")
	case !b.StartsAt.After(e.At):
		return errs.Invalid("body.starts_at", "the consultation must start after the time it is arranged (%s)", LocalDate(e.At))
	case !validHow(b.How):
		return errs.Invalid("body.how", "choose how the consultation will be held: phone, video or in-person")
	case b.How == HowInPerson && !validPlace(place):
		return errs.Invalid("body.place", "choose where the client will meet the practitioner: home, local-office or other")
	case b.How != HowInPerson && place != "":
		return errs.Invalid("body.place", "leave the place out for a consultation by %s", b.How)
	case place == PlaceOther && detail == "", place == PlaceLocalOffice && detail == "":
		return errs.Invalid("body.place_detail", "give the address, so the client knows where to go")
	}
	on := LocalDate(e.At)
	next := *c
	if c.Status == ConsultationScheduledStatus {
		next.Rescheduled++
	}
	snap := *p
	snap.Qualifications, snap.Specialisms = slices.Clone(p.Qualifications), slices.Clone(p.Specialisms)
	next.Status, next.ScheduledOn, next.StartsAt = ConsultationScheduledStatus, on, b.StartsAt
	next.How, next.Place, next.PlaceDetail = b.How, place, detail
	next.Practitioner, next.Uncovered, next.OverrideReason = &snap, uncovered, override
	a.Consultation = &next
	if _, i := a.benefit.Stage(StageConsultation); i >= 0 && a.Stage != StageConsultation {
		a.enterStage(StageConsultation, on)
	}
	a.LastUpdateOn = on
	return nil
}

// ConsultationHeld records that the consultation took place and what we
// learned, in all and by criterion.
type ConsultationHeld struct {
	Report   string                `json:"report"`
	Findings []ConsultationFinding `json:"findings,omitempty"`
}

func (*ConsultationHeld) Type() EventType { return TypeConsultationHeld }

func (b *ConsultationHeld) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("record a consultation"); err != nil {
		return err
	}
	c := a.Consultation
	if c == nil || c.Status != ConsultationScheduledStatus {
		return errs.Conflict("there is no scheduled consultation on this application to record")
	}
	on := LocalDate(e.At)
	if on.Before(LocalDate(c.StartsAt)) {
		return errs.Invalid("at", "the consultation is booked for %s; record it once it has taken place", LocalDate(c.StartsAt))
	}
	if !isSentence(b.Report) {
		return errs.Invalid("body.report", "say in full sentences (at least %d words) what the consultation told us", MinSentenceWords)
	}
	seen := map[string]bool{}
	var findings []ConsultationFinding
	for i, f := range b.Findings {
		field := "body.findings[" + strconv.Itoa(i) + "]"
		f.Note = strings.TrimSpace(f.Note)
		known := slices.ContainsFunc(a.benefit.Criteria, func(cr charter.Criterion) bool { return cr.ID == f.Criterion })
		switch {
		case !known:
			return errs.Invalid(field+".criterion", "%q is not a criterion of %s", f.Criterion, a.benefit.Name)
		case seen[f.Criterion]:
			return errs.Invalid(field+".criterion", "criterion %q has two findings", f.Criterion)
		case f.Note == "":
			return errs.Invalid(field+".note", "say what the consultation showed about criterion %q", f.Criterion)
		}
		seen[f.Criterion] = true
		findings = append(findings, f)
	}
	next := *c
	next.Status, next.HeldOn, next.Report, next.Findings = ConsultationHeldStatus, on, strings.TrimSpace(b.Report), findings
	a.Consultation = &next
	return nil
}

// ConsultationCancelled records that a proposed or booked consultation will
// not take place, who called it off and why.
type ConsultationCancelled struct {
	By     string `json:"by"` // client | service
	Reason string `json:"reason"`
}

func (*ConsultationCancelled) Type() EventType { return TypeConsultationCancelled }

func (b *ConsultationCancelled) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("cancel a consultation"); err != nil {
		return err
	}
	c := a.Consultation
	if !c.Active() {
		return errs.Conflict("there is no proposed or booked consultation on this application to cancel")
	}
	reason := strings.TrimSpace(b.Reason)
	switch {
	case b.By != CancelledByClient && b.By != CancelledByService:
		return errs.Invalid("body.by", "say who cancelled it: client or service")
	case reason == "":
		return errs.Invalid("body.reason", "say why the consultation is cancelled")
	}
	on := LocalDate(e.At)
	next := *c
	next.Status, next.CancelledOn, next.CancelledBy, next.CancelReason = ConsultationCancelledStatus, on, b.By, reason
	a.Consultation = &next
	// Back to where the application was before the consultation.
	if n := len(a.Stages); a.Stage == StageConsultation && n >= 2 {
		a.enterStage(a.Stages[n-2].Stage, on)
	}
	a.LastUpdateOn = on
	return nil
}
