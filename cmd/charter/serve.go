package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/web"
)

func cmdServe(ctx context.Context, e env, args []string) error {
	cfg, _, log, svc, err := openWithMessaging(ctx, e, "serve", args, nil)
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	if _, err := svc.Charter(); err != nil {
		log.Warn("no charter loaded yet: the API answers 404 until one is; run charter load examples/charter.yaml examples/benefits.yaml")
	}
	return serve(ctx, e, cfg, svc, log, nil)
}

// serve listens on cfg.Addr until ctx ends, then shuts down gracefully,
// letting requests in flight finish. ready, if set, is called once listening.
func serve(ctx context.Context, e env, cfg *Config, svc *app.Service, log *slog.Logger, ready func(url string)) error {
	metrics := web.NewMetrics(svc, svc.Today)
	handler, err := web.New(svc, log, metrics)
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	stopWorker := func() {}
	if m := cfg.Messaging; m != nil && m.Worker {
		stopWorker = startWorker(ctx, svc, m, log)
	}
	defer stopWorker()
	go watchDocuments(ctx, svc, log)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	url := "http://" + ln.Addr().String()
	log.Info("listening", "url", url)
	if ready != nil {
		ready(url)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func cmdMigrate(ctx context.Context, e env, args []string) error {
	cfg, _, err := flags("migrate", e, args, nil)
	if err != nil {
		return err
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	fmt.Fprintln(e.stdout, "The database is up to date.")
	return nil
}

// startWorker delivers messages and acts on timers in the background until
// ctx ends; the function it returns waits for it to finish.
func startWorker(ctx context.Context, svc *app.Service, m *Messaging, log *slog.Logger) func() {
	w := svc.NewWorker(m.deliveryOptions(log))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(ctx); err != nil {
			log.Error("the message worker stopped", "error", err)
		}
	}()
	return func() { <-done }
}

// cmdWorker delivers messages and acts on timers, without serving pages:
// for running delivery in its own processes (several may share one
// PostgreSQL database).
func cmdWorker(ctx context.Context, e env, args []string) error {
	_, m, log, svc, err := openWithMessaging(ctx, e, "worker", args, nil)
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	if _, err := svc.Charter(); err != nil {
		return err
	}
	log.Info("delivering messages; stop with Ctrl+C or SIGTERM")
	return svc.NewWorker(m.deliveryOptions(log)).Run(ctx)
}

// documentCheckInterval is how often a server looks for a charter version
// published elsewhere: by another server sharing the database, or by
// charter load or charter review publish.
const documentCheckInterval = 30 * time.Second

// watchDocuments reloads the charter and benefits when a newer version is
// published, until ctx ends.
func watchDocuments(ctx context.Context, svc *app.Service, log *slog.Logger) {
	t := time.NewTicker(documentCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if changed, err := svc.ReloadIfChanged(ctx); err != nil && ctx.Err() == nil {
				log.Error("looking for a new charter version", "error", err)
			} else if changed {
				log.Info("a new charter version was published: reloaded")
			}
		}
	}
}
