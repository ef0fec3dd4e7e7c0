// Package message decides what Charter tells people, when, by which
// channel and in which words. It does no I/O: delivery (SMTP, the text and
// email provider, the letter print queue) lives in internal/notify, and the
// outbox that makes it durable lives in internal/store.
//
//   - kinds.go: which event causes which message (Caused).
//   - timers.go: the service's own clocks — no client left too long without
//     news, a decision date at risk or missed, a reminder before an
//     information request is due, a re-determination deadline missed — as
//     dates worked out from the application (Timers). Each timer, when it
//     falls due, is recorded as an event, and the event causes the message,
//     so everything the service sends by itself is in the case's history.
//   - route.go: the channels for a message from the client's preferences,
//     including accessible formats that need a person.
//   - status.go: a message's delivery status, which only moves forward.
//   - data.go and templates.go: what a message may say. Emails and text
//     messages are rendered from Notice, which holds nothing sensitive (no
//     health condition, no decision reasons, no date of birth, not even the
//     benefit's name): they say there is news and how to read it. Letters
//     are rendered from Letter, which holds the details, from the same
//     template file.
package message
