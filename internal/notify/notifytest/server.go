// Package notifytest is a text and email provider for tests: an HTTP
// server on the loopback interface speaking the same API as the provider
// notify.Provider talks to (in the style of GOV.UK Notify). It checks every
// request's token, honours Idempotency-Key, answers lookups by reference,
// sends delivery receipts to a callback URL, and can be told to fail a
// share of requests with 5xx or 429, so tests can see what the service does.
package notifytest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// The key the server accepts: notify.Provider's APIKey.
const (
	ServiceID = "26785a09-ab16-4eb0-8407-a37497a57506"
	Secret    = "3d844edf-8d35-48ac-975b-e847b4f122b0"
	APIKey    = "charter_test-" + ServiceID + "-" + Secret
)

// Message is a notification the provider accepted.
type Message struct {
	ID, Reference, Type, To, Template string
	Subject, Body                     string
	At                                time.Time
}

// Options make the provider misbehave on purpose.
type Options struct {
	Fail5xx, Fail429 float64 // share of requests answered 503 / 429
	Seed             uint64  // for the random failures
	// CallbackURL, if set, gets a delivery receipt for each message with
	// CallbackToken as its bearer token. A recipient containing "bounce"
	// gets a permanent-failure receipt; everything else is delivered.
	CallbackURL, CallbackToken string
	// Latency is added to every request (a provider far away), and
	// ReplyDelay between accepting a message and answering: a worker killed
	// then has had its message accepted without hearing so.
	Latency, ReplyDelay time.Duration
}

// Server is the fake provider.
type Server struct {
	*httptest.Server
	o Options

	mu        sync.Mutex
	rng       *rand.Rand
	byRef     map[string]Message // accepted, by reference
	byKey     map[string][]byte  // responses by Idempotency-Key
	accepted  []Message
	posts     []time.Time // every POST that reached the provider
	refused   map[int]int // responses by status code, for failures
	dupes     int         // a second message accepted for a reference already accepted
	lookups   int         // requests for a message by reference
	found     int         // of which found one: a retry after the provider accepted it
	receipts  sync.WaitGroup
	callbacks []int // status codes our callbacks got back
}

// New starts a provider on 127.0.0.1. Close it when done.
func New(o Options) *Server {
	s := &Server{o: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x5bd1e995)), byRef: map[string]Message{},
		byKey: map[string][]byte{}, refused: map[int]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/notifications/email", s.create("email"))
	mux.HandleFunc("POST /v2/notifications/sms", s.create("sms"))
	mux.HandleFunc("GET /v2/notifications", s.list)
	s.Server = httptest.NewUnstartedServer(mux)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	s.Server.Listener = ln
	s.Start()
	return s
}

func writeError(w http.ResponseWriter, code int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"status_code": code,
		"errors": []map[string]string{{"error": kind, "message": msg}}})
}

// authorised checks the bearer JWT: HS256, signed with Secret, issued by
// ServiceID within the last 30 seconds.
func authorised(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	parts := strings.Split(tok, ".")
	if !ok || len(parts) != 3 {
		return false
	}
	mac := hmac.New(sha256.New, []byte(Secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var c struct {
		Iss string `json:"iss"`
		Iat int64  `json:"iat"`
	}
	if json.Unmarshal(raw, &c) != nil || c.Iss != ServiceID {
		return false
	}
	age := time.Since(time.Unix(c.Iat, 0))
	return age > -30*time.Second && age < 30*time.Second
}

func (s *Server) create(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.o.Latency > 0 {
			time.Sleep(s.o.Latency)
		}
		if !authorised(r) {
			writeError(w, http.StatusForbidden, "AuthError", "Invalid token: signature, api token not found")
			return
		}
		var body struct {
			EmailAddress    string            `json:"email_address"`
			PhoneNumber     string            `json:"phone_number"`
			TemplateID      string            `json:"template_id"`
			Reference       string            `json:"reference"`
			Personalisation map[string]string `json:"personalisation"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", "the body is not JSON")
			return
		}
		to := body.EmailAddress
		if kind == "sms" {
			to = body.PhoneNumber
		}
		s.mu.Lock()
		s.posts = append(s.posts, time.Now())
		roll := s.rng.Float64()
		s.mu.Unlock()
		switch {
		case roll < s.o.Fail5xx:
			s.count(http.StatusServiceUnavailable)
			writeError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "try again later")
			return
		case roll < s.o.Fail5xx+s.o.Fail429:
			s.count(http.StatusTooManyRequests)
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds")
			return
		case to == "" || body.TemplateID == "":
			s.count(http.StatusBadRequest)
			writeError(w, http.StatusBadRequest, "ValidationError", "email_address or phone_number and template_id are required")
			return
		case kind == "sms" && !strings.HasPrefix(strings.ReplaceAll(to, " ", ""), "07"):
			s.count(http.StatusBadRequest)
			writeError(w, http.StatusBadRequest, "ValidationError", "phone_number Not a UK mobile number")
			return
		}
		key := r.Header.Get("Idempotency-Key")
		s.mu.Lock()
		if resp, ok := s.byKey[key]; ok && key != "" {
			s.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			w.Write(resp)
			return
		}
		m := Message{ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", s.rng.Uint32(), s.rng.Uint64()>>16), Reference: body.Reference,
			Type: kind, To: to, Template: body.TemplateID, Subject: body.Personalisation["subject"],
			Body: body.Personalisation["body"], At: time.Now()}
		if _, ok := s.byRef[m.Reference]; ok && m.Reference != "" {
			s.dupes++
		}
		s.byRef[m.Reference] = m
		s.accepted = append(s.accepted, m)
		resp, _ := json.Marshal(map[string]any{"id": m.ID, "reference": m.Reference,
			"content": map[string]string{"subject": m.Subject, "body": m.Body}, "uri": "/v2/notifications/" + m.ID})
		if key != "" {
			s.byKey[key] = resp
		}
		s.mu.Unlock()
		time.Sleep(s.o.ReplyDelay)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(resp)
		if s.o.CallbackURL != "" {
			s.receipts.Add(1)
			go func() {
				defer s.receipts.Done()
				status := "delivered"
				if strings.Contains(m.To, "bounce") {
					status = "permanent-failure"
				}
				s.Receipt(m, status)
			}()
		}
	}
}

func (s *Server) count(code int) {
	s.mu.Lock()
	s.refused[code]++
	s.mu.Unlock()
}

// Receipt posts a delivery receipt for m to the callback URL, as the
// provider does, and returns the status code it got back.
func (s *Server) Receipt(m Message, status string) int {
	body, _ := json.Marshal(map[string]string{"id": m.ID, "reference": m.Reference, "to": m.To, "status": status,
		"notification_type": m.Type, "created_at": m.At.UTC().Format(time.RFC3339Nano),
		"completed_at": time.Now().UTC().Format(time.RFC3339Nano), "sent_at": m.At.UTC().Format(time.RFC3339Nano)})
	req, _ := http.NewRequest(http.MethodPost, s.o.CallbackURL, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.o.CallbackToken)
	req.Header.Set("Content-Type", "application/json")
	code := 0
	if resp, err := http.DefaultClient.Do(req); err == nil {
		code = resp.StatusCode
		resp.Body.Close()
	}
	s.mu.Lock()
	s.callbacks = append(s.callbacks, code)
	s.mu.Unlock()
	return code
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	if !authorised(r) {
		writeError(w, http.StatusForbidden, "AuthError", "Invalid token")
		return
	}
	ref := r.URL.Query().Get("reference")
	s.mu.Lock()
	s.lookups++
	var out []map[string]string
	if m, ok := s.byRef[ref]; ok {
		s.found++
		out = append(out, map[string]string{"id": m.ID, "reference": m.Reference, "status": "delivered", "type": m.Type})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"notifications": out, "links": map[string]string{}})
}

// Accepted returns the messages accepted so far, in order.
func (s *Server) Accepted() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.accepted...)
}

// Stats are what the provider saw.
type Stats struct {
	Posts     int         // requests to send that reached it
	Accepted  int         // distinct messages accepted
	Dupes     int         // messages accepted for a reference already accepted: should be 0
	Refused   map[int]int // failures it was told to give, by status code
	Callbacks []int       // status codes our callback URL answered
	PostTimes []time.Time
	Lookups   int // requests for a message by its reference
	Found     int // lookups that found the message already accepted
}

// Stats returns what the provider has seen so far. It waits for delivery
// receipts in flight.
func (s *Server) Stats() Stats {
	s.receipts.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	refused := map[int]int{}
	for k, v := range s.refused {
		refused[k] = v
	}
	return Stats{Posts: len(s.posts), Accepted: len(s.accepted), Dupes: s.dupes, Refused: refused,
		Callbacks: append([]int(nil), s.callbacks...), PostTimes: append([]time.Time(nil), s.posts...),
		Lookups: s.lookups, Found: s.found}
}
