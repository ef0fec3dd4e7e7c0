package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/message"
)

// notificationView is a message as the API shows it: where it went and how
// far it got, not what it said (staff read that on the case page).
type notificationView struct {
	ID        int64     `json:"id"`
	Reference string    `json:"reference"` // ours, as the provider knows it
	Event     int       `json:"event_seq"`
	Kind      string    `json:"kind"`
	Channel   string    `json:"channel"`
	Subject   string    `json:"subject"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	Attempts  int       `json:"attempts"`
	Created   time.Time `json:"created_at"`
	Updated   time.Time `json:"updated_at"`
}

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) {
	ref, err := casework.ParseReference(r.PathValue("ref"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, _, err := s.svc.Application(r.Context(), ref); err != nil {
		s.writeError(w, r, err)
		return
	}
	ns, err := s.svc.Notifications(r.Context(), ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.auditAPIView(r, ref, "viewed the messages through the API"); err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]notificationView, 0, len(ns))
	for _, n := range ns {
		out = append(out, notificationView{ID: n.ID, Reference: n.Key, Event: n.EventSeq, Kind: string(n.Kind),
			Channel: string(n.Channel), Subject: n.Subject, Status: string(n.Status), Reason: n.Reason,
			Attempts: n.Attempts, Created: n.CreatedAt, Updated: n.UpdatedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": out})
}

// deliveryReceipt is the body a text and email provider in the style of
// GOV.UK Notify posts when it knows whether a message arrived.
type deliveryReceipt struct {
	ID               string `json:"id"`
	Reference        string `json:"reference"`
	To               string `json:"to"`
	Status           string `json:"status"`
	NotificationType string `json:"notification_type"`
	CreatedAt        string `json:"created_at"`
	CompletedAt      string `json:"completed_at"`
	SentAt           string `json:"sent_at"`
}

// receiptStatuses maps the provider's final statuses to ours, with the
// reason staff read.
var receiptStatuses = map[string]struct {
	status message.Status
	reason string
}{
	"delivered":         {message.StatusDelivered, "The provider says it arrived."},
	"permanent-failure": {message.StatusFailed, "The provider says the address or number does not exist: check the client's contact details."},
	"temporary-failure": {message.StatusFailed, "The provider could not deliver it (the inbox may be full, or the phone off): try again, or another way."},
	"technical-failure": {message.StatusFailed, "The provider had a technical problem and did not send it: try again."},
}

// deliveryCallback takes the provider's receipt. It needs the callback
// token as a bearer token; a receipt that comes twice, or after a later
// one, changes nothing (200 either way, so the provider stops retrying).
func (s *Server) deliveryCallback(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !s.svc.CallbackAllowed(tok) {
		s.writeError(w, r, errs.New(errs.KindUnauthorized, "Authorization", "a delivery receipt needs the callback token"))
		return
	}
	raw, err := readBody(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var rec deliveryReceipt
	if err := json.Unmarshal(raw, &rec); err != nil {
		s.writeError(w, r, errs.Invalid("body", "a delivery receipt is a JSON object"))
		return
	}
	st, ok := receiptStatuses[rec.Status]
	if !ok {
		s.writeError(w, r, errs.Invalid("status", "%q is not a final delivery status: give delivered, permanent-failure, temporary-failure or technical-failure", rec.Status))
		return
	}
	changed, err := s.svc.RecordDelivery(r.Context(), app.DeliveryReport{Key: rec.Reference, ProviderID: rec.ID, Status: st.status, Detail: st.reason})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"changed": changed})
}
