package seed

import (
	"strconv"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

// requestText is one kind of information request with what the answers to
// it say. What is written for the client to read, whoever is asked.
type requestText struct {
	from         string
	what, why    string
	how          string // empty: the service's usual words
	partial      string // note on a partial answer
	full         string // note on the full answer
	shortSubject string // for updates: "the payslips"
}

const howThirdParty = "We have asked for it directly, with your permission. You do not need to do anything unless we write to you again."

// requestTexts are the information requests for each kind of benefit.
var requestTexts = map[string][]requestText{
	charter.KindDisability: {
		{from: casework.FromClient,
			what:    "a list of the medicines you take and how often you take them",
			why:     "It tells us how your conditions are treated, which helps us understand how they affect your day.",
			partial: "The client sent a repeat prescription list; the medicines from the hospital are still to come.",
			full:    "The client sent a full list of medicines from their pharmacy.", shortSubject: "your list of medicines"},
		{from: casework.FromClient,
			what:    "more detail about how far you can walk, and how you feel afterwards",
			why:     "The mobility part depends on how far you can move around, and this part of your form was left blank.",
			partial: "The client phoned to describe a usual day; they will send the written detail.",
			full:    "The client sent a written description of walking on good and bad days.", shortSubject: "the detail about walking"},
		{from: casework.FromClient,
			what: "the name and contact details of a health or social care professional who knows you",
			why:  "So that we can ask them, with your permission, how your conditions affect you.",
			full: "The client gave the details of their community psychiatric nurse.", shortSubject: "the details of a professional who knows you"},
		{from: casework.FromClient,
			what:    "a copy of your care plan from your council",
			why:     "It shows the help you get each day, which is part of how we decide on the daily living part.",
			partial: "The client sent the first pages of the care plan; the rest is to follow.",
			full:    "The client uploaded their care plan.", shortSubject: "your care plan"},
		{from: casework.FromGP,
			what:    "a summary of your medical record from your GP practice",
			why:     "It confirms the conditions and treatment you told us about.",
			how:     howThirdParty,
			partial: "The GP practice sent part of the record and asked for more time for the rest.",
			full:    "The GP practice sent a summary of the medical record.", shortSubject: "a summary from your GP practice"},
		{from: casework.FromGP,
			what: "a letter from your GP practice about your diagnosis and current treatment",
			why:  "We need to know how your conditions are being treated now, not only when they started.",
			how:  howThirdParty,
			full: "The GP practice sent a letter about diagnosis and treatment.", shortSubject: "a letter from your GP practice"},
		{from: casework.FromOrganisation,
			what: "information from your council's social work team about the support you get",
			why:  "It shows the help you get with daily living, so that you do not have to describe it all again.",
			how:  howThirdParty,
			full: "The social work team sent a summary of the support in place.", shortSubject: "information from your council"},
	},
	charter.KindCarer: {
		{from: casework.FromClient,
			what:    "your payslips for the last three months",
			why:     "We need them to check your earnings against the weekly limit.",
			partial: "The client sent two of the three payslips; the last is still to come.",
			full:    "The client sent payslips for the last three months.", shortSubject: "your payslips"},
		{from: casework.FromClient,
			what: "more detail about the care you give in a usual week, and for how many hours",
			why:  "The payment needs at least 35 hours of caring a week, and your form did not say how many hours you care for.",
			full: "The client described a usual week of caring, about 50 hours.", shortSubject: "the detail about your caring"},
		{from: casework.FromClient,
			what: "the date of birth of the person you care for",
			why:  "We need it to check the payment they get.",
			full: "The client gave the date of birth by phone.", shortSubject: "the date of birth of the person you care for"},
		{from: casework.FromOrganisation,
			what: "confirmation that the person you care for gets a qualifying disability payment",
			why:  "Your payment depends on theirs, and we could not confirm it from our own records.",
			how:  howThirdParty,
			full: "The paying organisation confirmed the qualifying payment.", shortSubject: "confirmation of the qualifying payment"},
	},
	charter.KindGrant: {
		{from: casework.FromClient,
			what: "a document showing the child's date of birth, such as a birth certificate",
			why:  "The grant can only be paid for a child of the right age on the date you applied.",
			full: "The client uploaded a photo of the birth certificate.", shortSubject: "the child's date of birth"},
		{from: casework.FromClient,
			what:    "something showing that the child lives with you, such as a letter about Child Benefit",
			why:     "The grant is paid to the person mainly responsible for the child.",
			partial: "The client sent a nursery letter; we asked for a letter about Child Benefit as well.",
			full:    "The client sent a letter about Child Benefit.", shortSubject: "a letter showing the child lives with you"},
		{from: casework.FromOrganisation,
			what: "confirmation of the benefit you get, from the organisation that pays it",
			why:  "The grant is for people who get a qualifying benefit, and our check did not find yours.",
			how:  howThirdParty,
			full: "The paying organisation confirmed the qualifying benefit.", shortSubject: "confirmation of your benefit"},
	},
}

var withdrawReasons = []string{
	"The client told us they no longer want to apply.",
	"The client's circumstances changed and they asked us to stop.",
	"The client told us they had applied by mistake.",
	"The client is moving away from Scotland and asked us to close the application.",
	"The client asked us to close this application so that they could apply again with a supporter.",
}

var consultationNotes = []string{
	"We need to talk with the client because the information we have does not show how their condition affects them on a bad day.",
	"We need to talk with the client because what we have from the GP practice and the form do not agree about how far they can walk.",
	"We need to talk with the client because there is no professional who knows how their mental health affects their daily living.",
}

var decisionMakers = []string{"case manager", "case manager", "case manager", "case manager", "senior case manager"}

// rate is the rate of one part of a disability payment.
type rate int

const (
	rateNone rate = iota
	rateStandard
	rateEnhanced
)

func (r rate) String() string {
	switch r {
	case rateStandard:
		return "standard"
	case rateEnhanced:
		return "enhanced"
	}
	return "none"
}

// decisionFacts are what a decision's reasons talk about.
type decisionFacts struct {
	kind     string
	area     string
	age      int
	daily    rate
	mobility rate
	failed   string // the criterion that decided a refusal or a partial award
	partial  bool
	noAnswer string // what we asked for and never got, if anything
	hours    int    // hours of caring a week
}

// reasonText gives the plain-language reason for one criterion.
func reasonText(c charter.Criterion, met bool, f decisionFacts, bothParts bool) string {
	lacking := ""
	if f.noAnswer != "" {
		lacking = " We asked for " + f.noAnswer + " but did not receive it, so we decided on the information we had."
	}
	switch c.ID {
	case "residence":
		if met && f.kind == charter.KindDisability {
			return "Your address is in " + f.area + ", in Scotland, and nothing we hold suggests you have not lived in the UK for long enough."
		}
		if met {
			return "Your address is in " + f.area + ", which is in Scotland."
		}
		return "The information we have shows that your main home is outside Scotland, so this payment cannot be made to you."
	case "age":
		if met {
			return "You were " + strconv.Itoa(f.age) + " when you applied, which is an age at which this payment can be made."
		}
		return "You were " + strconv.Itoa(f.age) + " when you applied, which is outside the ages this payment is for."
	case "daily-living":
		if !bothParts && !met {
			return "We did not need to decide this part, because another rule for this payment is not met."
		}
		switch f.daily {
		case rateEnhanced:
			return "Your conditions mean you need someone with you to prepare food, wash and manage your medicines on most days. This scores enough for the daily living part at the enhanced rate."
		case rateStandard:
			return "You need help to prepare food and to manage your medicines on most days. This scores enough for the daily living part at the standard rate."
		}
		return "You told us you manage most daily tasks yourself, with some difficulty on bad days. The evidence does not show this happens on most days, so the daily living part is not awarded." + lacking
	case "mobility":
		if !bothParts && !met {
			return "We did not need to decide this part, because another rule for this payment is not met."
		}
		switch f.mobility {
		case rateEnhanced:
			return "You cannot walk more than 20 metres without severe pain or breathlessness. This is enough for the mobility part at the enhanced rate."
		case rateStandard:
			return "You need someone with you to plan and follow a journey you do not know. This is enough for the mobility part at the standard rate."
		}
		return "What you told us and the information from your GP practice show you can walk more than 200 metres and plan journeys on your own, so the mobility part is not awarded." + lacking
	case "caring-hours":
		if met {
			return "You care for about " + strconv.Itoa(f.hours) + " hours a week, helping with washing, meals, medicines and appointments. This is at least 35 hours."
		}
		return "You told us you care for about " + strconv.Itoa(f.hours) + " hours a week. The payment needs at least 35 hours, so this is not met." + lacking
	case "qualifying-benefit":
		if f.kind == charter.KindGrant {
			if met {
				return "We checked with the organisation that pays your benefit: you got a qualifying benefit on the date you applied."
			}
			return "We checked with the organisation that pays benefits and found no qualifying benefit for you or your partner on the date you applied." + lacking
		}
		if met {
			return "The person you care for gets a disability payment that qualifies."
		}
		return "We checked, and the person you care for does not get a qualifying disability payment at the moment. If they are awarded one, you can apply again." + lacking
	case "earnings-limit":
		if f.partial && !met {
			return "Your earnings were under the weekly limit in some weeks and over it in others, so we pay you for the weeks they were under it."
		}
		if met {
			return "Your earnings, after the deductions we allow, are under the weekly limit."
		}
		return "Your payslips show weekly earnings, after the deductions we allow, above the limit." + lacking
	case "responsible-for-child":
		if met {
			return "The child lives with you and you are mainly responsible for them."
		}
		return "The child's main home is with someone else, so you are not mainly responsible for them." + lacking
	case "application-window":
		if met {
			return "You applied while the child was within the ages this grant is for."
		}
		return "The child was older than the ages this grant is for on the date you applied, so the application was made too late."
	}
	if met {
		return "We looked at this question: " + c.Question + " The information we have shows that the answer is yes."
	}
	return "We looked at this question: " + c.Question + " The information we have shows that the answer is no." + lacking
}

// evidenceFor names the evidence a reason rests on: the benefit's usual
// evidence that bears on the criterion, if the benefit lists it.
func evidenceFor(b *charter.Benefit, criterion string) []string {
	var ids []string
	switch criterion {
	case "residence", "age":
		return []string{"Your application form"}
	case "daily-living":
		ids = []string{"condition-details", "gp-summary", "care-plan", "supporting-statement"}
	case "mobility":
		ids = []string{"condition-details", "gp-summary", "professional-contact"}
	case "caring-hours":
		ids = []string{"caring-hours", "cared-for-details"}
	case "qualifying-benefit":
		ids = []string{"cared-for-details", "qualifying-benefit-award"}
	case "earnings-limit":
		ids = []string{"payslips"}
	case "responsible-for-child", "application-window":
		ids = []string{"child-details"}
	}
	var out []string
	for _, id := range ids {
		for _, e := range b.Evidence {
			if e.ID == id {
				out = append(out, e.Name)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"Your application form"}
	}
	return out
}
