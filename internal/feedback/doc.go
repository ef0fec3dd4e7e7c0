// Package feedback holds what the public tells us about the charter: feedback
// saying a commitment was or was not met, and complaints, which follow a
// two-stage process with dates we can be held to.
//
// It is a domain package: no I/O. The web layer decodes a form into Form and
// calls NewItem; the store keeps the Item and, for a complaint, its events;
// the measurement framework calls Tally.
//
// # Feedback and complaints from the public
//
// NewItem checks a Form against the current charter and returns an Item, or
// FormErrors listing every field that is wrong (each an *errs.Error with
// KindInvalid or KindMistyped and the field's name: kind, commitments,
// verdict, reference, text, name, email, phone, contact). Choices lists the
// commitments a form offers, in the charter's words, and "something else".
//
// Abuse protection (rate limits, the hidden field itself) belongs to the web
// layer; LooksAutomated is the pure check of a honeypot value and of how
// quickly the form came back.
//
// # Complaints
//
// A complaint is an append-only list of ComplaintEvent values folded into a
// Complaint by a Process, which holds the working-day Timescales and the
// calendar:
//
//	received ─► stage1_responded ─► closed
//	   │               │   ▲           │ (the client may still ask for stage 2)
//	   │ (if stage 1   ▼   └───────────┘
//	   │  is overdue) escalated ─► stage2_acknowledged ─► stage2_responded ─► closed
//	   └──────────────►   └──────────────────────────────────►┘
//
// Stage 1 is answered within Stage1RespondDays working days of receipt;
// stage 2 is acknowledged within Stage2AcknowledgeDays and answered within
// Stage2RespondDays working days of the escalation. Every due date is a
// calendar.Date, the last day on which the step is on time; a step is
// overdue from the day after. Process.Apply refuses an event that does not
// fit the complaint's state with errs.KindConflict, and a bad field with
// errs.KindInvalid naming it ("on", "outcome"). Process.NextSteps gives the
// "what you can do next" text for the client: stage 2 after a stage 1
// reply, and the Scottish Public Services Ombudsman after a stage 2 reply.
//
// # Counts for the measurement framework
//
// Tally counts items received in a date range by commitment key, kind
// (feedback or complaint) and verdict (met or not met). Periods (financial
// years, quarters) are the caller's: pass their first and last dates.
// DailyCounts gives the same counts per day, with each item's commitment id
// and key, for a measure engine that sums days into its own periods.
package feedback
