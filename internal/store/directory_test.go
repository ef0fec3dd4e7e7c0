package store_test

import (
	"reflect"
	"testing"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func organisationFixtures() []casework.Organisation {
	return []casework.Organisation{
		{ID: "money-fife", Name: "Money Advice Fife", Kind: casework.KindMoneyAdvice, Areas: []string{"Fife"},
			Phone: "01592 000 000", Active: true},
		{ID: "advocacy-scotland", Name: "Advocacy for All", Kind: casework.KindAdvocacy, Areas: []string{casework.AllScotland},
			Email: "help@example.org", Website: "https://example.org", Description: "Independent advocacy", Active: true},
		{ID: "closed-service", Name: "Zed Closed Service", Kind: casework.KindLocalService,
			Areas: []string{"Fife", "Glasgow City"}, Phone: "0141 000 0000", Active: false},
	}
}

func TestDirectory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		if got, err := s.Organisations(ctx, false); err != nil || len(got) != 0 {
			t.Fatalf("an empty directory: %v, %v", got, err)
		}
		os := organisationFixtures()
		if err := s.CreateOrganisations(ctx, os, base); err != nil {
			t.Fatal(err)
		}
		all, err := s.Organisations(ctx, false)
		if err != nil || len(all) != 3 {
			t.Fatalf("all: %v, %v", all, err)
		}
		want := []casework.Organisation{os[1], os[0], os[2]} // by name
		for i, got := range all {
			if !reflect.DeepEqual(got.Organisation, want[i]) {
				t.Errorf("organisation %d:\n%+v, want\n%+v", i, got.Organisation, want[i])
			}
			if !got.CreatedAt.Equal(base.Truncate(1000)) {
				t.Errorf("%s created at %s", got.ID, got.CreatedAt)
			}
		}
		active, err := s.Organisations(ctx, true)
		if err != nil || len(active) != 2 {
			t.Errorf("active only: %v, %v", active, err)
		}
		one, err := s.Organisation(ctx, "closed-service")
		if err != nil || !reflect.DeepEqual(one.Organisation, os[2]) {
			t.Errorf("one: %+v, %v", one, err)
		}
		if _, err := s.Organisation(ctx, "nobody"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("unknown: %v", err)
		}

		// All or nothing: a clash on the second row writes neither.
		fresh := casework.Organisation{ID: "fresh", Name: "Fresh", Kind: casework.KindOtherOrganisation,
			Areas: []string{"Angus"}, Phone: "01234 567890", Active: true}
		err = s.CreateOrganisations(ctx, []casework.Organisation{fresh, os[0]}, base)
		if e, ok := errs.As(err); !ok || e.Kind != errs.KindConflict || e.Field != "id" {
			t.Errorf("a clash: %v", err)
		}
		if _, err := s.Organisation(ctx, "fresh"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("the row before the clash was written: %v", err)
		}
		if err := s.CreateOrganisations(ctx, []casework.Organisation{fresh, fresh}, base); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("the same id twice: %v", err)
		}

		if err := s.SetOrganisationActive(ctx, "closed-service", true, base.Add(1e9)); err != nil {
			t.Fatal(err)
		}
		if one, _ := s.Organisation(ctx, "closed-service"); !one.Active || !one.UpdatedAt.After(one.CreatedAt) {
			t.Errorf("reactivated: %+v", one)
		}
		if err := s.SetOrganisationActive(ctx, "nobody", true, base); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("unknown: %v", err)
		}
	})
}
