// Package notify delivers messages: email over SMTP, email and text
// messages through a provider's HTTP API in the style of GOV.UK Notify,
// letters as PDF files in a print-queue folder with a manifest, and a local
// folder for trying the service without any of them. Each is a Sender for
// the delivery worker in internal/app; what to say and to whom is decided
// in internal/message, and the outbox that makes delivery durable is in
// internal/store.
//
// notifytest is a provider for tests: an HTTP server on the loopback
// interface that speaks the same protocol, and can be told to fail.
package notify
