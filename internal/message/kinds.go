package message

import (
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

// Kind names a message and its template (templates/KIND.tmpl).
type Kind string

// The messages Charter sends.
const (
	KindAcknowledgement         Kind = "acknowledgement"
	KindInformationRequested    Kind = "information_requested"
	KindInformationReceived     Kind = "information_received"
	KindReminder                Kind = "information_reminder"
	KindStageChanged            Kind = "stage_changed"
	KindStillWorking            Kind = "still_working"
	KindAtRisk                  Kind = "at_risk" // to staff only
	KindMissed                  Kind = "missed"
	KindDateRevised             Kind = "decision_date_revised"
	KindDecision                Kind = "decision"
	KindWithdrawn               Kind = "withdrawn"
	KindConsultationProposed    Kind = "consultation_proposed"
	KindConsultationBooked      Kind = "consultation_booked"
	KindConsultationCancelled   Kind = "consultation_cancelled"
	KindRedeterminationReceived Kind = "redetermination_received"
	KindLateRequestDecided      Kind = "late_request_decided"
	KindRedeterminationDecision Kind = "redetermination_decision"
	KindAppealNow               Kind = "appeal_form"
	KindSupporters              Kind = "supporters_changed"
	KindNews                    Kind = "news" // anything else the client can read about on their page
)

// Kinds lists every kind, in the order the staff preview page shows them.
var Kinds = []Kind{
	KindAcknowledgement, KindInformationRequested, KindReminder, KindInformationReceived,
	KindStageChanged, KindStillWorking, KindAtRisk, KindMissed, KindDateRevised, KindDecision,
	KindConsultationProposed, KindConsultationBooked, KindConsultationCancelled,
	KindRedeterminationReceived, KindLateRequestDecided, KindRedeterminationDecision, KindAppealNow,
	KindSupporters, KindWithdrawn, KindNews,
}

// Planned is a message an event calls for, before it is routed to channels.
type Planned struct {
	Kind Kind
	// Formal messages are letters the client keeps (an acknowledgement, a
	// decision, the appeal form): they go by post whatever the client's
	// preferred channel, which gets a short note as well.
	Formal bool
	// EncloseCharter: the letter encloses a summary of the charter, unless
	// the client asked us to stop.
	EncloseCharter bool
	Staff          bool // to staff, not the client
}

// Caused returns the messages that event e calls for, given the
// application after it. Events that only staff see (a note of the client's
// health conditions, an update a person gave by phone) cause none.
func Caused(after *casework.Application, e casework.Event) []Planned {
	one := func(k Kind) []Planned { return []Planned{{Kind: k}} }
	switch b := e.Body.(type) {
	case *casework.Acknowledged:
		return []Planned{{Kind: KindAcknowledgement, Formal: true, EncloseCharter: true}}
	case *casework.InformationRequested:
		return one(KindInformationRequested)
	case *casework.InformationReceived:
		return one(KindInformationReceived)
	case *casework.InformationReminderSent:
		return one(KindReminder)
	case *casework.StageChanged:
		if b.Stage == charter.StageDecision {
			return nil // the decision itself says so
		}
		return one(KindStageChanged)
	case *casework.UpdateSent:
		if b.Reason == casework.UpdateReasonNoSilence {
			return one(KindStillWorking)
		}
	case *casework.TimescaleAtRisk:
		return []Planned{{Kind: KindAtRisk, Staff: true}}
	case *casework.TimescaleMissed:
		return one(KindMissed)
	case *casework.DecisionDateRevised:
		return one(KindDateRevised)
	case *casework.DecisionMade:
		return []Planned{{Kind: KindDecision, Formal: true, EncloseCharter: true}}
	case *casework.Withdrawn:
		return one(KindWithdrawn)
	case *casework.ConsultationProposed:
		return one(KindConsultationProposed)
	case *casework.ConsultationScheduled:
		return one(KindConsultationBooked)
	case *casework.ConsultationCancelled:
		return one(KindConsultationCancelled)
	case *casework.RedeterminationRequested:
		return one(KindRedeterminationReceived)
	case *casework.LateRequestDecided:
		return one(KindLateRequestDecided)
	case *casework.RedeterminationDecided:
		return []Planned{{Kind: KindRedeterminationDecision, Formal: true, EncloseCharter: true}}
	case *casework.AppealFormSent:
		return []Planned{{Kind: KindAppealNow, Formal: true}}
	case *casework.SupporterAuthorised, *casework.SupporterRevoked:
		return one(KindSupporters)
	case *casework.ReferralMade, *casework.OtherHelpSignposted, *casework.AppealDecided:
		return one(KindNews)
	}
	return nil
}
