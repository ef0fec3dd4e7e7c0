package app

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
)

// Quiet hours: a text message that would arrive between these hours waits
// for the morning. Emails and letters do not wake anyone.
const (
	quietFrom = 21 // 9pm
	quietTo   = 8  // 8am
)

// messagesFor renders the messages that events cause, routed to the
// client's channels, ready to queue in the same transaction as the events.
// a is the application after the events.
func (s *Service) messagesFor(a *casework.Application, events []casework.Event) ([]store.NewNotification, error) {
	if s.messages == nil {
		return nil, nil
	}
	var out []store.NewNotification
	ch, _ := s.Charter()
	for _, e := range events {
		for _, p := range message.Caused(a, e) {
			l := message.Compose(p.Kind, a, e, message.Facts{Service: s.sender, Charter: ch, Calendar: s.cal, Today: casework.LocalDate(e.At)})
			for _, d := range message.Route(a.Client, p) {
				l := l
				l.LargePrint = d.LargePrint
				if d.Channel == message.ChannelLetter && p.EncloseCharter && !a.Client.NoCharterSummary && ch != nil {
					l.Enclosure = message.Summarise(ch)
				}
				r, err := s.messages.Render(p.Kind, d.Channel, l)
				if err != nil {
					return nil, fmt.Errorf("render %s by %s: %w", p.Kind, d.Channel, err)
				}
				out = append(out, store.NewNotification{
					Key:      fmt.Sprintf("%s/%d/%s/%s", a.Ref, e.Seq, p.Kind, d.Channel),
					EventSeq: e.Seq, Kind: p.Kind, Channel: d.Channel, Recipient: recipient(a.Client, d.Channel),
					Subject: r.Subject, Body: r.Body, LargePrint: d.LargePrint, Status: d.Status, Reason: d.Reason,
					SendAfter: sendAfter(d.Channel, s.now()),
				})
			}
		}
	}
	return out, nil
}

// recipient is where a message on a channel goes.
func recipient(c casework.Client, ch message.Channel) string {
	switch ch {
	case message.ChannelEmail:
		return c.Email
	case message.ChannelSMS:
		return c.Phone
	case message.ChannelLetter:
		if c.Address == nil {
			return ""
		}
		return strings.Join(append(append([]string{c.Name}, c.Address.Lines...), c.Address.Postcode), "\n")
	}
	return ""
}

// sendAfter is when a message may go: now, except a text in quiet hours,
// which waits for eight in the morning.
func sendAfter(ch message.Channel, now time.Time) time.Time {
	if ch != message.ChannelSMS {
		return now
	}
	local := now.In(casework.Zone)
	h := local.Hour()
	if h >= quietTo && h < quietFrom {
		return now
	}
	d := casework.LocalDate(now)
	if h >= quietFrom {
		d = d.AddDays(1)
	}
	return message.SendAt(d)
}

// Notifications lists an application's messages, newest first.
func (s *Service) Notifications(ctx context.Context, ref casework.Reference) ([]Notification, error) {
	return s.store.Notifications(ctx, ref)
}

// NotificationLog lists a message's status changes.
func (s *Service) NotificationLog(ctx context.Context, id int64) ([]NotificationLogEntry, error) {
	return s.store.NotificationLog(ctx, id)
}

// NeedingAttention lists messages a person must prepare or look at.
func (s *Service) NeedingAttention(ctx context.Context) ([]Notification, error) {
	return s.store.NeedingAttention(ctx, 500)
}

// SentByHand records that a member of staff sent a message themselves.
func (s *Service) SentByHand(ctx context.Context, id int64, who, how string) error {
	how = strings.TrimSpace(how)
	if how == "" {
		return errs.Invalid("how", "say how you sent it: for example, posted in Braille")
	}
	return s.store.SentByHand(ctx, id, fmt.Sprintf("%s (%s)", how, who))
}

// CallbackAllowed reports whether token is the provider's callback token.
// With no token set up, every receipt is refused.
func (s *Service) CallbackAllowed(token string) bool {
	return s.callbackToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.callbackToken)) == 1
}

// DeliveryReport is what a provider's callback says about a message.
type DeliveryReport struct {
	Key        string // our reference for the message
	ProviderID string
	Status     message.Status // delivered or failed_permanent
	Detail     string
}

// RecordDelivery applies a provider's delivery report. Reports may come
// twice or out of order: a status only moves forward. It reports whether
// the message's status changed.
func (s *Service) RecordDelivery(ctx context.Context, r DeliveryReport) (bool, error) {
	if r.Key == "" && r.ProviderID == "" {
		return false, errs.Invalid("reference", "give the reference or the id of the message")
	}
	changed, err := s.store.MoveStatus(ctx, r.Key, r.ProviderID, r.Status, r.Detail)
	if err == nil && changed && r.Status == message.StatusFailed {
		s.log.Warn("a message could not be delivered: staff are alerted on the messages page", "key", r.Key, "reason", r.Detail)
	}
	return changed, err
}

// PreviewMessage renders a kind of message for a channel with example
// data, for the staff preview page.
func (s *Service) PreviewMessage(k message.Kind, ch message.Channel, example *casework.Application, e casework.Event) (message.Rendered, error) {
	if s.messages == nil {
		return message.Rendered{}, errs.NotFound("messages are not set up")
	}
	c, _ := s.Charter()
	l := message.Compose(k, example, e, message.Facts{Service: s.sender, Charter: c, Calendar: s.cal, Today: s.Today()})
	if ch == message.ChannelLetter && c != nil {
		l.Enclosure = message.Summarise(c)
	}
	return s.messages.Render(k, ch, l)
}

// NotificationCounts counts messages by status.
func (s *Service) NotificationCounts(ctx context.Context) (map[message.Status]int, error) {
	return s.store.NotificationCounts(ctx)
}
