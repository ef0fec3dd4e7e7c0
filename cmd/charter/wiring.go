package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
)

// open connects to the database, migrates it and builds the service.
func open(ctx context.Context, cfg *Config, log *slog.Logger) (*app.Service, error) {
	cal := calendar.Scotland()
	if cfg.Holidays != "" {
		data, err := os.ReadFile(cfg.Holidays)
		if err != nil {
			return nil, fmt.Errorf("--holidays: %w", err)
		}
		if cal, err = calendar.NewScotland(data); err != nil {
			return nil, fmt.Errorf("--holidays %s: %w", cfg.Holidays, err)
		}
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	for _, m := range applied {
		log.Info("migrated", "migration", m)
	}
	// Publishing a charter version checks the example measure set's links
	// to commitments, until the measure set is stored with the service.
	o := app.Options{Calendar: cal, Logger: log, QueueCountCache: cfg.QueueCountCache, Complaints: cfg.Complaints,
		Measures: examples.Measures, MeasuresName: "examples/measures.yaml"}
	if m := cfg.Messaging; m != nil {
		// Templates are checked now: a broken one stops the start, naming
		// its file and line.
		if o.Messages, err = message.DefaultTemplates(); err != nil {
			st.Close()
			return nil, err
		}
		o.Sender, o.CallbackToken = m.sender(), m.CallbackToken
	}
	svc, err := app.New(ctx, st, o)
	if err != nil {
		st.Close()
		return nil, err
	}
	return svc, nil
}
