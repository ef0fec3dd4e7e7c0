package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func TestPractitionerRegister(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _, _ := newService(t, st)
		_, err := svc.AddPractitioner(ctx, casework.Practitioner{Name: "Ann", Role: "Nurse"})
		kindIs(t, err, errs.KindInvalid)
		_, err = svc.AddPractitioner(ctx, casework.Practitioner{ID: "Not An Id!", Name: "Ann", Role: "Nurse",
			Qualifications: []string{"RN"}, Specialisms: []string{"other"}})
		kindIs(t, err, errs.KindInvalid)

		p, err := svc.AddPractitioner(ctx, casework.Practitioner{Name: "Ann Nurse", Role: "Nurse",
			Qualifications: []string{"Registered nurse (NMC)"}, Specialisms: []string{"respiratory", "mental-health"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.ID, "pr-") || len(p.ID) != 11 {
			t.Errorf("a new practitioner's id: %q", p.ID)
		}
		got, err := svc.Practitioner(ctx, p.ID)
		if err != nil || got.Specialisms[0] != "mental-health" || got.Version != 1 {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		p.Active = false
		if err := svc.UpdatePractitioner(ctx, p, 1); err != nil {
			t.Fatal(err)
		}
		kindIs(t, svc.UpdatePractitioner(ctx, p, 1), errs.KindConflict)
		p.Specialisms = nil
		kindIs(t, svc.UpdatePractitioner(ctx, p, 2), errs.KindInvalid)
		if active, _ := svc.Practitioners(ctx, true); len(active) != 0 {
			t.Errorf("an inactive practitioner is listed as active: %v", active)
		}

		// EnsurePractitioners adds only those not there yet.
		demo := []casework.Practitioner{
			{ID: "pr-demo-one", Name: "One", Role: "Nurse", Qualifications: []string{"RN"}, Specialisms: []string{"other"}, Active: true},
			{ID: "pr-demo-two", Name: "Two", Role: "Nurse", Qualifications: []string{"RN"}, Specialisms: []string{"other"}, Active: true},
		}
		for round, want := range []int{2, 0} {
			n, err := svc.EnsurePractitioners(ctx, demo)
			if err != nil || n != want {
				t.Errorf("EnsurePractitioners, round %d: %d added, %v; want %d", round+1, n, err, want)
			}
		}
	})
}

// TestSchedulingLooksUpThePractitioner: the service fills in the
// practitioner as the register holds them, whoever records the event.
func TestSchedulingLooksUpThePractitioner(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clk, _ := newService(t, st)
		a, _, err := svc.Create(ctx, "caseworker:test", time.Time{}, &casework.Received{Benefit: "adult-disability-payment",
			Client: casework.Client{Name: "Sam", DateOfBirth: calendar.NewDate(1970, 1, 2)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		record := func(b casework.Body) (*casework.Application, error) {
			a, _, err := svc.Record(ctx, a.Ref, -1, app.NewEvent{Type: b.Type(), Actor: "caseworker:test", Body: b}, nil)
			return a, err
		}
		for _, b := range []casework.Body{
			&casework.ClientDetailsUpdated{Conditions: []string{"mental-health"}},
			&casework.ConsultationProposed{ClientAsked: true},
		} {
			if _, err := record(b); err != nil {
				t.Fatal(err)
			}
		}
		nurse, err := svc.AddPractitioner(ctx, casework.Practitioner{Name: "Ann Nurse", Role: "Nurse",
			Qualifications: []string{"Registered nurse (NMC)"}, Specialisms: []string{"mental-health"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		physio, err := svc.AddPractitioner(ctx, casework.Practitioner{Name: "Pat Physio", Role: "Physiotherapist",
			Qualifications: []string{"Physiotherapist (HCPC)"}, Specialisms: []string{"musculoskeletal"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		book := func(id string) *casework.ConsultationScheduled {
			return &casework.ConsultationScheduled{Practitioner: id, StartsAt: clk.now().Add(72 * time.Hour), How: casework.HowVideo}
		}
		version := func() int {
			a, _, err := svc.Application(ctx, a.Ref)
			if err != nil {
				t.Fatal(err)
			}
			return a.Version
		}
		before := version()
		for _, c := range []struct {
			name  string
			body  *casework.ConsultationScheduled
			field string
			says  string
		}{
			{"unknown practitioner", book("pr-nobody"), "body.practitioner", `no practitioner with the id "pr-nobody"`},
			{"a snapshot sent in", func() *casework.ConsultationScheduled {
				b := book(physio.ID)
				b.PractitionerSnapshot = &casework.Practitioner{ID: physio.ID, Specialisms: []string{"mental-health"}, Active: true}
				return b
			}(), "body.practitioner_snapshot", "leave this out"},
			{"a practitioner who does not cover the condition", book(physio.ID), "body.practitioner",
				"Pat Physio's specialisms do not cover the client's mental health condition"},
		} {
			_, err := record(c.body)
			if e, ok := errs.As(err); !ok || e.Kind != errs.KindInvalid || e.Field != c.field || !strings.Contains(e.Message, c.says) {
				t.Errorf("%s: %v, want invalid on %s saying %q", c.name, err, c.field, c.says)
			}
		}
		if v := version(); v != before {
			t.Fatalf("refused bookings wrote events: version %d → %d", before, v)
		}

		got, err := record(book(nurse.ID))
		if err != nil {
			t.Fatal(err)
		}
		if p := got.Consultation.Practitioner; p == nil || p.Name != "Ann Nurse" || p.Qualifications[0] != "Registered nurse (NMC)" {
			t.Errorf("the booking keeps the practitioner as checked: %+v", p)
		}
		// Made inactive later, the booking keeps what was checked; a new
		// booking with them is refused.
		nurse.Active = false
		if err := svc.UpdatePractitioner(ctx, nurse, 1); err != nil {
			t.Fatal(err)
		}
		a2, _, err := svc.Application(ctx, a.Ref)
		if err != nil || !a2.Consultation.Practitioner.Active {
			t.Fatalf("after the practitioner was made inactive: %v, %+v", err, a2.Consultation.Practitioner)
		}
		if _, err := record(book(nurse.ID)); errs.KindOf(err) != errs.KindInvalid || !strings.Contains(err.Error(), "not holding consultations") {
			t.Errorf("rebooking an inactive practitioner: %v", err)
		}
	})
}
