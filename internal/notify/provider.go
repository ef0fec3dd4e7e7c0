package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/message"
)

// Provider sends email and text messages through an HTTP API in the style
// of GOV.UK Notify: POST /v2/notifications/email and /v2/notifications/sms
// with a JSON body, a template id and personalisation, and a bearer token
// that is a JWT signed with the API key. Each message's key goes as its
// reference and as an Idempotency-Key header; before trying a message
// again, Send asks the provider whether it already has one with that
// reference, so a crash between the provider accepting a message and the
// outbox recording it does not send it twice.
type Provider struct {
	BaseURL string // e.g. https://api.notifications.service.gov.uk
	// APIKey is "name-SERVICEID-SECRET", both ids 36-character UUIDs, as
	// Notify issues them.
	APIKey string
	// The provider's templates: each takes ((subject)) and ((body)).
	EmailTemplate, SMSTemplate string
	Client                     *http.Client // default: 30 s timeout
}

// ParseAPIKey splits a Notify-style API key into its service id and secret.
func ParseAPIKey(key string) (serviceID, secret string, err error) {
	const uuid = 36
	if len(key) < 2*uuid+1 || key[len(key)-uuid-1] != '-' {
		return "", "", errors.New("an API key ends with two 36-character ids joined by '-'")
	}
	secret = key[len(key)-uuid:]
	serviceID = key[len(key)-2*uuid-1 : len(key)-uuid-1]
	return serviceID, secret, nil
}

// Token makes the bearer token for a request: a JWT (HS256) whose issuer
// is the service id, issued now.
func Token(serviceID, secret string, now time.Time) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))
	claims, _ := json.Marshal(map[string]any{"iss": serviceID, "iat": now.Unix()})
	signing := head + "." + enc.EncodeToString(claims)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// Send sends an email or a text message.
func (p *Provider) Send(ctx context.Context, m message.Outgoing) (string, error) {
	if m.Attempt > 1 {
		// We may have got as far as the provider last time.
		if id, ok, err := p.lookup(ctx, m.Key); err == nil && ok {
			return id, nil
		}
	}
	body := map[string]any{"reference": m.Key, "personalisation": map[string]string{"subject": m.Subject, "body": m.Body}}
	var path string
	switch m.Channel {
	case message.ChannelEmail:
		path, body["email_address"], body["template_id"] = "/v2/notifications/email", m.Recipient, p.EmailTemplate
	case message.ChannelSMS:
		path, body["phone_number"], body["template_id"] = "/v2/notifications/sms", m.Recipient, p.SMSTemplate
	default:
		return "", message.Permanent(fmt.Sprintf("the provider does not send by %s", m.Channel), nil)
	}
	data, _ := json.Marshal(body)
	var out struct {
		ID string `json:"id"`
	}
	if err := p.do(ctx, http.MethodPost, path, m.Key, data, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// lookup asks the provider for a message it has with our reference.
func (p *Provider) lookup(ctx context.Context, reference string) (string, bool, error) {
	var out struct {
		Notifications []struct {
			ID        string `json:"id"`
			Reference string `json:"reference"`
		} `json:"notifications"`
	}
	if err := p.do(ctx, http.MethodGet, "/v2/notifications?reference="+url.QueryEscape(reference), "", nil, &out); err != nil {
		return "", false, err
	}
	for _, n := range out.Notifications {
		if n.Reference == reference {
			return n.ID, true, nil
		}
	}
	return "", false, nil
}

func (p *Provider) do(ctx context.Context, method, path, idempotencyKey string, body []byte, out any) error {
	service, secret, err := ParseAPIKey(p.APIKey)
	if err != nil {
		return message.Permanent("the provider's API key is not set up properly", err)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(p.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return message.Permanent("the provider's address is not set up properly", err)
	}
	req.Header.Set("Authorization", "Bearer "+Token(service, secret, time.Now()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "charter")
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return message.Temporary("the provider could not be reached", 0, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return message.Temporary("the provider asked us to slow down (429): "+providerError(data), retryAfter(resp.Header.Get("Retry-After")), nil)
	case resp.StatusCode >= 500:
		return message.Temporary(fmt.Sprintf("the provider had a problem (%d)", resp.StatusCode), 0, errors.New(providerError(data)))
	case resp.StatusCode >= 400:
		return message.Permanent(fmt.Sprintf("the provider refused it (%d): %s", resp.StatusCode, providerError(data)), nil)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return message.Temporary("the provider's answer could not be read", 0, err)
		}
	}
	return nil
}

// providerError is the provider's own words for an error, from its
// {"errors": [{"error", "message"}]} body.
func providerError(data []byte) string {
	var e struct {
		Errors []struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(data, &e) != nil || len(e.Errors) == 0 {
		return strings.TrimSpace(string(data))
	}
	var parts []string
	for _, x := range e.Errors {
		parts = append(parts, x.Error+": "+x.Message)
	}
	return strings.Join(parts, "; ")
}

func retryAfter(h string) time.Duration {
	if secs, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	return 0
}
