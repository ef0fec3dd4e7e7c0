package store_test

import (
	"cmp"
	"encoding/base64"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

var queueToday = calendar.NewDate(2025, time.June, 16)

var queueOrder = []string{store.QueueMissed, store.QueueAtRisk, store.QueueOnTrack, store.QueuePaused}

// queueStatusOf classifies a row as the queue should.
func queueStatusOf(r store.ApplicationRow, today calendar.Date) string {
	switch {
	case r.Paused:
		return store.QueuePaused
	case r.DecideBy < today:
		return store.QueueMissed
	case r.AtRiskFrom <= today:
		return store.QueueAtRisk
	}
	return store.QueueOnTrack
}

// queueRows are hand-built projection rows with chosen dates: few distinct
// decision dates, so ties are ordered by reference, and rows on each
// boundary (decide_by == today, at_risk_from == today).
func queueRows() []store.ApplicationRow {
	rng := rand.New(rand.NewPCG(1, 2))
	var rows []store.ApplicationRow
	add := func(decideBy, atRisk int, paused bool, status casework.Status) {
		n := len(rows)
		r := store.ApplicationRow{
			Ref:        refN(10_000 + n),
			Benefit:    []string{"best-start-grant", "carer-support"}[rng.IntN(2)],
			Status:     status,
			Stage:      []string{"received", "assessment"}[rng.IntN(2)],
			ClientName: "Client",
			Area:       "Fife",
			ReceivedOn: queueToday.AddDays(-30),
			DecideBy:   queueToday.AddDays(decideBy),
			AtRiskFrom: queueToday.AddDays(atRisk),
			Paused:     paused,
			Version:    1,
		}
		if status != casework.StatusOpen {
			r.ClosedOn = queueToday.AddDays(-1)
			r.Stage = "decision"
		}
		rows = append(rows, r)
	}
	// Boundaries.
	add(0, 0, false, casework.StatusOpen)   // due today, at risk from today: at risk
	add(0, -3, false, casework.StatusOpen)  // due today: at risk, not missed
	add(-1, -5, false, casework.StatusOpen) // due yesterday: missed
	add(5, 1, false, casework.StatusOpen)   // at risk from tomorrow: on track
	add(-9, -12, true, casework.StatusOpen) // paused, however late
	add(-9, -12, false, casework.StatusDecided)
	add(3, 0, false, casework.StatusWithdrawn)
	for range 90 {
		d := rng.IntN(12) - 4
		status := casework.StatusOpen
		if rng.IntN(8) == 0 {
			status = []casework.Status{casework.StatusDecided, casework.StatusWithdrawn}[rng.IntN(2)]
		}
		add(d, d-rng.IntN(6), rng.IntN(6) == 0, status)
	}
	return rows
}

// expectedQueue is the queue the rows should give, filtered like q.
func expectedQueue(rows []store.ApplicationRow, q store.QueueQuery) []store.QueueItem {
	var out []store.QueueItem
	for _, r := range rows {
		st := queueStatusOf(r, q.Today)
		if r.Status != casework.StatusOpen || (q.Benefit != "" && r.Benefit != q.Benefit) ||
			(q.Stage != "" && r.Stage != q.Stage) || (q.Status != "" && st != q.Status) {
			continue
		}
		out = append(out, store.QueueItem{ApplicationRow: r, QueueStatus: st})
	}
	slices.SortFunc(out, func(a, b store.QueueItem) int {
		return cmp.Or(
			cmp.Compare(slices.Index(queueOrder, a.QueueStatus), slices.Index(queueOrder, b.QueueStatus)),
			cmp.Compare(a.DecideBy, b.DecideBy),
			cmp.Compare(a.Ref, b.Ref))
	})
	return out
}

func loadQueueRows(t *testing.T, s *store.Store, rows []store.ApplicationRow) {
	t.Helper()
	var apps []store.BulkApplication
	for i, r := range rows {
		e := received(r.Benefit, r.ClientName, base.Add(time.Duration(i)*time.Second))
		apps = append(apps, store.BulkApplication{Row: r, Events: []casework.Event{e}, Facts: factsOf(r.Ref, []casework.Event{e})})
	}
	if err := s.BulkInsert(ctxT(t), apps); err != nil {
		t.Fatal(err)
	}
}

// walk reads every page of the queue for q and fails t if a page is too
// long or the last page has a cursor.
func walk(t *testing.T, s *store.Store, q store.QueueQuery) []store.QueueItem {
	t.Helper()
	var all []store.QueueItem
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("queue %+v: the cursor never ends", q)
		}
		page, err := s.Queue(ctxT(t), q)
		if err != nil {
			t.Fatalf("queue %+v: %v", q, err)
		}
		if len(page.Items) > q.Limit {
			t.Fatalf("queue %+v: a page of %d items", q, len(page.Items))
		}
		if page.Next != "" && len(page.Items) != q.Limit {
			t.Fatalf("queue %+v: a page of %d items has a next cursor", q, len(page.Items))
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		q.Cursor = page.Next
	}
}

func sameItems(t *testing.T, what string, got, want []store.QueueItem) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d items, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("%s: item %d is %s (%s, due %s), want %s (%s, due %s)", what, i,
				got[i].Ref, got[i].QueueStatus, got[i].DecideBy, want[i].Ref, want[i].QueueStatus, want[i].DecideBy)
			return
		}
	}
}

func TestQueue(t *testing.T) {
	rows := queueRows()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		loadQueueRows(t, s, rows)

		all := expectedQueue(rows, store.QueueQuery{Today: queueToday})
		for _, st := range queueOrder {
			if !slices.ContainsFunc(all, func(it store.QueueItem) bool { return it.QueueStatus == st }) {
				t.Fatalf("fixture has no %s application", st)
			}
		}
		page, err := s.Queue(ctx, store.QueueQuery{Today: queueToday, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		if page.Next != "" {
			t.Errorf("one page holding everything has a next cursor")
		}
		sameItems(t, "whole queue", page.Items, all)

		// Paging walks every open application once, in order.
		for _, limit := range []int{1, 2, 3, 7, 50} {
			sameItems(t, "paged by "+strconv.Itoa(limit), walk(t, s, store.QueueQuery{Today: queueToday, Limit: limit}), all)
		}

		// Filters, alone and together, also paged.
		var queries []store.QueueQuery
		for _, b := range []string{"", "best-start-grant", "carer-support", "no-such-benefit"} {
			for _, stage := range []string{"", "received", "assessment"} {
				for _, st := range append([]string{""}, queueOrder...) {
					queries = append(queries, store.QueueQuery{Today: queueToday, Benefit: b, Stage: stage, Status: st})
				}
			}
		}
		for _, q := range queries {
			want := expectedQueue(rows, q)
			for _, limit := range []int{3, 200} {
				q.Limit = limit
				sameItems(t, "benefit="+q.Benefit+" stage="+q.Stage+" status="+q.Status+" limit="+strconv.Itoa(limit), walk(t, s, q), want)
			}
		}

		// A limit of zero or over 200 means 50.
		for _, limit := range []int{0, -1, 201} {
			page, err := s.Queue(ctx, store.QueueQuery{Today: queueToday, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) > 50 && (len(page.Items) != 50 || page.Next == "") {
				t.Errorf("limit %d: %d items (next %q), want 50 and a cursor", limit, len(page.Items), page.Next)
			}
		}

		counts, err := s.QueueCounts(ctx, queueToday)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range queueOrder {
			want := len(expectedQueue(rows, store.QueueQuery{Today: queueToday, Status: st}))
			if counts[st] != want {
				t.Errorf("QueueCounts[%s] = %d, want %d", st, counts[st], want)
			}
		}
		if len(counts) != len(queueOrder) {
			t.Errorf("QueueCounts has %d keys, want %d: %v", len(counts), len(queueOrder), counts)
		}
	})
}

func TestQueueRefusesBadInput(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		loadQueueRows(t, s, queueRows()[:10])
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for _, c := range []string{"!!not base64!!", enc("1.2"), enc("x.1.ABC"), enc("1.x.ABC"), enc("4.1.ABC"), enc("-1.1.ABC"), "=="} {
			_, err := s.Queue(ctx, store.QueueQuery{Today: queueToday, Cursor: c})
			if errs.KindOf(err) != errs.KindInvalid {
				t.Errorf("cursor %q: %v, want invalid", c, err)
			}
		}
		_, err := s.Queue(ctx, store.QueueQuery{Today: queueToday, Status: "late"})
		if e, ok := errs.As(err); !ok || e.Kind != errs.KindInvalid || e.Field != "status" {
			t.Errorf("status late: %v, want invalid status", err)
		}
		// An empty store has an empty queue and zero counts.
		empty := storetest.Open(t, s.Dialect())
		page, err := empty.Queue(ctx, store.QueueQuery{Today: queueToday})
		if err != nil || len(page.Items) != 0 || page.Next != "" {
			t.Errorf("empty queue: %+v, %v", page, err)
		}
		counts, err := empty.QueueCounts(ctx, queueToday)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range queueOrder {
			if n, ok := counts[st]; !ok || n != 0 {
				t.Errorf("empty QueueCounts[%s] = %d (present %v), want 0", st, n, ok)
			}
		}
	})
}
