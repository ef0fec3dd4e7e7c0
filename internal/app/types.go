package app

import "github.com/charter-service/charter/internal/store"

// The application layer's answers use these storage types as they are;
// naming them here keeps the web adapter depending on this package alone,
// never on the store.
type (
	// QueueQuery asks for a page of the work queue.
	QueueQuery = store.QueueQuery
	// QueuePage is a page of the work queue.
	QueuePage = store.QueuePage
	// QueueTally counts open applications by queue status.
	QueueTally = store.QueueTally
	// StageTally is the tally of one benefit at one stage.
	StageTally = store.StageTally
	// CodeMessage is a message carrying a sign-in code.
	CodeMessage = store.CodeMessage
	// AuditEntry is one row of the audit log.
	AuditEntry = store.AuditEntry
	// PractitionerRecord is a practitioner as the register holds them.
	PractitionerRecord = store.PractitionerRecord
	// ActionRecord is an improvement action as stored, with its version.
	ActionRecord = store.ActionRecord
)

// Work-queue statuses, in the order the queue lists them.
const (
	QueueMissed  = store.QueueMissed
	QueueAtRisk  = store.QueueAtRisk
	QueueOnTrack = store.QueueOnTrack
	QueuePaused  = store.QueuePaused
)

type (
	// Notification is a message in the outbox.
	Notification = store.Notification
	// NotificationLogEntry is one change of a message's status.
	NotificationLogEntry = store.NotificationLogEntry
)

// ChangeReason is why one commitment changed in a version.
type ChangeReason = store.ChangeReason

// Draft statuses.
const (
	DraftOpen      = store.DraftOpen      // waiting to be published
	DraftPublished = store.DraftPublished // published as a charter version
)
