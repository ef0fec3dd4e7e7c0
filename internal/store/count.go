package store

import (
	"context"
	"fmt"
)

// CountApplications returns how many applications the store holds, open or
// closed. The seed uses it to refuse to write over existing data.
func (s *Store) CountApplications(ctx context.Context) (int, error) {
	var n int64
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM applications`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count applications: %w", err)
	}
	return int(n), nil
}
