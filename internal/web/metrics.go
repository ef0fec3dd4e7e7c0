package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/message"
)

// Metrics are the Prometheus metrics the server exposes on /metrics.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	appended prometheus.Counter
	sends    *prometheus.CounterVec
}

// QueueCounter reads the work-queue sizes when /metrics is scraped.
type QueueCounter interface {
	QueueCounts(ctx context.Context, today calendar.Date) (map[string]int, error)
}

// NewMetrics registers the server's metrics. queue and today supply the
// work-queue sizes at scrape time.
func NewMetrics(queue QueueCounter, today func() calendar.Date) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charter_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "charter_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
		appended: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "charter_events_appended_total", Help: "Casework events appended by this process.",
		}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charter_message_sends_total", Help: "Tries at sending a message by this process, by channel and how the try ended (sent, failed_temporary, failed_permanent).",
		}, []string{"channel", "status"}),
	}
	queueSize := prometheus.NewGaugeFunc // per status below
	m.registry.MustRegister(m.requests, m.latency, m.appended, m.sends,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, st := range []string{"missed", "at-risk", "on-track", "paused"} {
		m.registry.MustRegister(queueSize(prometheus.GaugeOpts{
			Name: "charter_work_queue_applications", Help: "Open applications by work-queue status.",
			ConstLabels: prometheus.Labels{"status": st},
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			counts, err := queue.QueueCounts(ctx, today())
			if err != nil {
				return -1
			}
			return float64(counts[st])
		}))
	}
	return m
}

// Observe records one request.
func (m *Metrics) Observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// MessageSent counts one try at sending a message.
func (m *Metrics) MessageSent(ch message.Channel, status message.Status) {
	m.sends.WithLabelValues(string(ch), string(status)).Inc()
}

// EventsAppended counts appended events.
func (m *Metrics) EventsAppended(n int) { m.appended.Add(float64(n)) }

// Handler serves the metrics in Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
