package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func practitionerFixtures() []casework.Practitioner {
	return []casework.Practitioner{
		{ID: "pr-b", Name: "Bea Physio", Role: "Physiotherapist",
			Qualifications: []string{"Physiotherapist (HCPC)", "MSc Musculoskeletal Practice", "Alpha first in the alphabet"},
			Specialisms:    []string{"musculoskeletal", "neurological"}, Active: true},
		{ID: "pr-a", Name: "Ann Nurse", Role: "Nurse",
			Qualifications: []string{"Registered nurse (NMC)"},
			Specialisms:    []string{"mental-health", "respiratory", "cardiovascular"}, Active: true},
		{ID: "pr-c", Name: "Cal Retired", Role: "Occupational therapist",
			Qualifications: []string{"Occupational therapist (HCPC)"}, Specialisms: []string{"learning-disability"}, Active: false},
	}
}

func mustCreatePractitioners(t *testing.T, s *store.Store) []casework.Practitioner {
	t.Helper()
	ps := practitionerFixtures()
	for i, p := range ps {
		if err := s.CreatePractitioner(ctxT(t), p, base.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("create %s: %v", p.ID, err)
		}
	}
	return ps
}

func TestPractitionersCreateAndRead(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		if got, err := s.Practitioners(ctx, false); err != nil || len(got) != 0 {
			t.Fatalf("an empty register: %v, %v", got, err)
		}
		ps := mustCreatePractitioners(t, s)

		all, err := s.Practitioners(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		// By name; qualifications in the order given; specialisms in the vocabulary's order.
		want := []casework.Practitioner{ps[1], ps[0], ps[2]}
		want[0].Specialisms = []string{"mental-health", "respiratory", "cardiovascular"}
		if len(all) != 3 {
			t.Fatalf("%d practitioners, want 3", len(all))
		}
		for i, got := range all {
			if !reflect.DeepEqual(got.Practitioner, want[i]) {
				t.Errorf("practitioner %d:\n%+v, want\n%+v", i, got.Practitioner, want[i])
			}
			if got.Version != 1 || !got.CreatedAt.Equal(got.UpdatedAt) {
				t.Errorf("%s: version %d, created %s, updated %s", got.ID, got.Version, got.CreatedAt, got.UpdatedAt)
			}
		}
		if !all[1].CreatedAt.Equal(base.Truncate(time.Microsecond)) {
			t.Errorf("created at %s, want %s", all[1].CreatedAt, base.Truncate(time.Microsecond))
		}

		active, err := s.Practitioners(ctx, true)
		if err != nil || len(active) != 2 || active[0].ID != "pr-a" || active[1].ID != "pr-b" {
			t.Errorf("active only: %v, %v", active, err)
		}
		one, err := s.Practitioner(ctx, "pr-c")
		if err != nil || !reflect.DeepEqual(one.Practitioner, ps[2]) {
			t.Errorf("Practitioner(pr-c) = %+v, %v", one, err)
		}
		if _, err := s.Practitioner(ctx, "pr-nobody"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown practitioner: %v, want not found", err)
		}
	})
}

func TestPractitionersRefuseDuplicates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		ps := mustCreatePractitioners(t, s)
		again := ps[0]
		again.Name = "Someone Else"
		err := s.CreatePractitioner(ctx, again, base)
		if e, ok := errs.As(err); !ok || e.Kind != errs.KindConflict || e.Field != "id" {
			t.Errorf("a second practitioner with the same id: %v, want a conflict on id", err)
		}
		// A specialism twice is refused whole: neither the row nor its lists are written.
		twice := casework.Practitioner{ID: "pr-d", Name: "Dee", Role: "Nurse", Qualifications: []string{"RN"},
			Specialisms: []string{"sensory", "sensory"}, Active: true}
		if err := s.CreatePractitioner(ctx, twice, base); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("a specialism twice: %v, want invalid", err)
		}
		if _, err := s.Practitioner(ctx, "pr-d"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("a refused practitioner was written: %v", err)
		}
		if got, _ := s.Practitioner(ctx, ps[0].ID); got.Name != ps[0].Name {
			t.Errorf("the first practitioner changed: %+v", got)
		}
	})
}

func TestPractitionersUpdate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		ps := mustCreatePractitioners(t, s)
		p := ps[0]
		p.Name, p.Role, p.Active = "Bea Physio-Smith", "Senior physiotherapist", false
		p.Qualifications = []string{"Physiotherapist (HCPC)"}
		p.Specialisms = []string{"sensory"}
		later := base.Add(time.Hour)
		if err := s.UpdatePractitioner(ctx, p, 1, later); err != nil {
			t.Fatal(err)
		}
		got, err := s.Practitioner(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Practitioner, p) || got.Version != 2 || !got.UpdatedAt.Equal(later.Truncate(time.Microsecond)) ||
			!got.CreatedAt.Equal(base.Truncate(time.Microsecond)) {
			t.Errorf("after the update: %+v", got)
		}
		// The other practitioners' lists are untouched.
		if other, _ := s.Practitioner(ctx, ps[1].ID); !reflect.DeepEqual(other.Qualifications, ps[1].Qualifications) {
			t.Errorf("another practitioner's qualifications changed: %v", other.Qualifications)
		}

		// A stale version is refused and nothing is written.
		stale := p
		stale.Name = "Stale"
		stale.Specialisms = []string{"other"}
		if err := s.UpdatePractitioner(ctx, stale, 1, later); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("an update at a stale version: %v, want a conflict", err)
		}
		// So is a specialism twice, whole.
		twice := p
		twice.Name = "Twice"
		twice.Specialisms = []string{"other", "other"}
		if err := s.UpdatePractitioner(ctx, twice, 2, later); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("a specialism twice: %v, want invalid", err)
		}
		if now, _ := s.Practitioner(ctx, p.ID); !reflect.DeepEqual(now, got) {
			t.Errorf("refused updates changed the practitioner:\n%+v, was\n%+v", now, got)
		}
		unknown := p
		unknown.ID = "pr-nobody"
		if err := s.UpdatePractitioner(ctx, unknown, 1, later); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("updating an unknown practitioner: %v, want not found", err)
		}
	})
}
