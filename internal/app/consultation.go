package app

import (
	"context"
	"encoding/base32"
	"strings"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
)

// The practitioner register (charter commitment 2.12) and what consultation
// events need from it.

// practitionerIDPrefix starts the ids the service makes: "pr-k3j9x2ab".
const practitionerIDPrefix = "pr-"

// AddPractitioner checks a practitioner's details and adds them to the
// register, active, with a new id unless p gives one.
func (s *Service) AddPractitioner(ctx context.Context, p casework.Practitioner) (casework.Practitioner, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	if p.ID == "" {
		enc := base32.StdEncoding.WithPadding(base32.NoPadding)
		p.ID = practitionerIDPrefix + strings.ToLower(enc.EncodeToString(randomBytes(5)))
	} else if !validPractitionerID(p.ID) {
		return p, errs.Invalid("id", "use 3 to 40 lower-case letters, digits and hyphens, such as pr-ann-nurse")
	}
	return p, s.store.CreatePractitioner(ctx, p, s.now())
}

// UpdatePractitioner replaces a practitioner's details if nobody has
// changed them since expectedVersion. Consultations already booked keep
// the details they were checked against.
func (s *Service) UpdatePractitioner(ctx context.Context, p casework.Practitioner, expectedVersion int) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.store.UpdatePractitioner(ctx, p, expectedVersion, s.now())
}

// Practitioners lists the register by name, only those holding
// consultations now if activeOnly.
func (s *Service) Practitioners(ctx context.Context, activeOnly bool) ([]store.PractitionerRecord, error) {
	return s.store.Practitioners(ctx, activeOnly)
}

// Practitioner returns one practitioner from the register.
func (s *Service) Practitioner(ctx context.Context, id string) (store.PractitionerRecord, error) {
	return s.store.Practitioner(ctx, id)
}

// EnsurePractitioners adds each practitioner whose id is not in the
// register yet, so that the demo can be started again and again. It
// returns how many it added.
func (s *Service) EnsurePractitioners(ctx context.Context, ps []casework.Practitioner) (int, error) {
	added := 0
	for _, p := range ps {
		_, err := s.store.Practitioner(ctx, p.ID)
		if err == nil {
			continue
		}
		if errs.KindOf(err) != errs.KindNotFound {
			return added, err
		}
		if _, err := s.AddPractitioner(ctx, p); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// completeEvent adds to an event what only the service knows before the
// rules see it: for a consultation being scheduled, the practitioner as the
// register holds them now, so the fold stays pure and the log shows what
// the client's conditions were checked against.
func (s *Service) completeEvent(ctx context.Context, body casework.Body) error {
	b, ok := body.(*casework.ConsultationScheduled)
	if !ok {
		return nil
	}
	if b.PractitionerSnapshot != nil {
		return errs.Invalid("body.practitioner_snapshot", "leave this out: the service fills it in from the practitioner register")
	}
	if strings.TrimSpace(b.Practitioner) == "" {
		return nil // the rules say what is missing
	}
	rec, err := s.store.Practitioner(ctx, b.Practitioner)
	if errs.KindOf(err) == errs.KindNotFound {
		return errs.Invalid("body.practitioner", "there is no practitioner with the id %q in the register", b.Practitioner)
	}
	if err != nil {
		return err
	}
	p := rec.Practitioner
	b.PractitionerSnapshot = &p
	return nil
}

func validPractitionerID(id string) bool {
	if len(id) < 3 || len(id) > 40 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
