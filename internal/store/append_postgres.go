package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/charter-service/charter/internal/casework"
)

// sqlInsertEventAtVersion inserts an event only if the application reached
// the version the append expects, so that a batch whose projection UPDATE
// matched no row writes nothing.
const sqlInsertEventAtVersion = `INSERT INTO events (app_ref, seq, type, at, on_date, actor, body, recorded_at)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8
	WHERE EXISTS (SELECT 1 FROM applications WHERE ref = $1 AND version = $9)`

const sqlInsertIdempotencyAtVersion = `INSERT INTO idempotency_keys (scope, key, request, status, response, created_at)
	SELECT $1, $2, $3, $4, $5, $6
	WHERE EXISTS (SELECT 1 FROM applications WHERE ref = $7 AND version = $8)`

// appendPostgres sends an append's statements as one pipelined batch: one
// round trip instead of four (BEGIN, UPDATE, INSERT, COMMIT). PostgreSQL
// runs the statements of a batch, up to its single Sync, as one implicit
// transaction, so either all of them take effect or none does.
func (s *Store) appendPostgres(ctx context.Context, a Append) error {
	now := micros(s.now())
	r := a.Row
	version := a.ExpectedVersion + len(a.Events)
	b := &pgx.Batch{}
	if a.ExpectedVersion == 0 {
		b.Queue(sqlInsertApplication, string(r.Ref), r.Benefit, string(r.Status), r.Stage, r.ClientName, r.Area,
			int64(r.ReceivedOn), int64(r.DecideBy), int64(r.AtRiskFrom), r.Paused, int64(r.ClosedOn), r.Version, now, int64(r.NextCheckOn), int64(r.ChallengeDue))
	} else {
		b.Queue(sqlUpdateApplication, string(r.Status), r.Stage, r.ClientName, r.Area, int64(r.DecideBy),
			int64(r.AtRiskFrom), r.Paused, int64(r.ClosedOn), r.Version, now, string(r.Ref), a.ExpectedVersion, int64(r.NextCheckOn), int64(r.ChallengeDue))
	}
	for _, e := range a.Events {
		body, err := json.Marshal(e.Body)
		if err != nil {
			return fmt.Errorf("event %d: %w", e.Seq, err)
		}
		b.Queue(sqlInsertEventAtVersion, string(a.Ref), e.Seq, string(e.Type), micros(e.At),
			int64(casework.LocalDate(e.At)), e.Actor, string(body), now, version)
	}
	b.Queue(sqlUpsertFactsAtVersion, append(factValues(a.Ref, &a.Facts, version), version)...)
	for _, n := range a.Notifications {
		b.Queue(sqlInsertNotificationAtVersion, append(n.args(a.Ref, now), string(a.Ref), version)...)
	}
	if i := a.Idempotency; i != nil {
		b.Queue(sqlInsertIdempotencyAtVersion, i.Scope, i.Key, i.Request, i.Status, string(i.Response), now,
			string(a.Ref), version)
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("append %s: %w", a.Ref, err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		results := driverConn.(*stdlib.Conn).Conn().SendBatch(ctx, b)
		matched := true
		for range b.Len() {
			tag, err := results.Exec()
			if err != nil {
				results.Close()
				if isUniqueViolation(err) {
					return ErrVersionConflict
				}
				return fmt.Errorf("append %s: %w", a.Ref, err)
			}
			matched = matched && tag.RowsAffected() == 1
		}
		if err := results.Close(); err != nil {
			if isUniqueViolation(err) {
				return ErrVersionConflict
			}
			return fmt.Errorf("append %s: %w", a.Ref, err)
		}
		if !matched {
			// The UPDATE matched no row, so the guarded INSERTs wrote nothing.
			return ErrVersionConflict
		}
		return nil
	})
}
