package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/notify"
)

// Messaging is how the service sends messages: the commands that send
// (serve, demo, worker) bind it. Secrets (the SMTP password, the provider
// key, the callback token) come from the environment only, never a flag,
// so they do not show in a process list.
type Messaging struct {
	PublicURL string // --public-url, CHARTER_PUBLIC_URL: where messages send people
	Phone     string // --phone, CHARTER_PHONE: the number messages give

	SMTP         string // --smtp, CHARTER_SMTP: host:port of a mail server
	SMTPFrom     string // --smtp-from, CHARTER_SMTP_FROM
	SMTPUser     string // --smtp-user, CHARTER_SMTP_USER
	SMTPPassword string // CHARTER_SMTP_PASSWORD

	NotifyURL           string // --notify-url, CHARTER_NOTIFY_URL: the provider's API
	NotifyKey           string // CHARTER_NOTIFY_KEY
	NotifyEmailTemplate string // --notify-email-template, CHARTER_NOTIFY_EMAIL_TEMPLATE
	NotifySMSTemplate   string // --notify-sms-template, CHARTER_NOTIFY_SMS_TEMPLATE
	CallbackToken       string // CHARTER_NOTIFY_CALLBACK_TOKEN: what the provider's receipts carry

	LettersDir string // --letters-dir, CHARTER_LETTERS_DIR: the print queue
	OutboxDir  string // --outbox-dir, CHARTER_OUTBOX_DIR: email and texts, when there is no server or provider

	SendRate  float64       // --send-rate, CHARTER_SEND_RATE: per channel, per second
	Lease     time.Duration // --worker-lease, CHARTER_WORKER_LEASE
	RetryBase time.Duration // --retry-base, CHARTER_RETRY_BASE
	Poll      time.Duration // --poll, CHARTER_POLL
	Worker    bool          // --worker, CHARTER_WORKER: serve also delivers
}

// DemoPhone is a number set aside for drama and examples: it rings nobody.
const DemoPhone = "0808 157 0192"

func (m *Messaging) bind(fs *flag.FlagSet, getenv func(string) string) {
	str := func(p *string, name, env, def, usage string) {
		if v := getenv(env); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" (env "+env+")")
	}
	dur := func(p *time.Duration, name, env string, def time.Duration, usage string) {
		if v := getenv(env); v != "" {
			if d, err := time.ParseDuration(v); err == nil {
				def = d
			} else {
				def = -1 // reported by validate
			}
		}
		fs.DurationVar(p, name, def, usage+" (env "+env+")")
	}
	str(&m.PublicURL, "public-url", "CHARTER_PUBLIC_URL", "", "the address of the service's pages, for links in messages (default: http:// and --addr)")
	str(&m.Phone, "phone", "CHARTER_PHONE", DemoPhone, "the phone number messages give")
	str(&m.SMTP, "smtp", "CHARTER_SMTP", "", "mail server host:port for email (password from CHARTER_SMTP_PASSWORD)")
	str(&m.SMTPFrom, "smtp-from", "CHARTER_SMTP_FROM", "Your payments <noreply@example.org>", "the From of emails")
	str(&m.SMTPUser, "smtp-user", "CHARTER_SMTP_USER", "", "mail server user name")
	m.SMTPPassword = getenv("CHARTER_SMTP_PASSWORD")
	str(&m.NotifyURL, "notify-url", "CHARTER_NOTIFY_URL", "", "the text and email provider's API, e.g. https://api.notifications.service.gov.uk (key from CHARTER_NOTIFY_KEY)")
	m.NotifyKey = getenv("CHARTER_NOTIFY_KEY")
	str(&m.NotifyEmailTemplate, "notify-email-template", "CHARTER_NOTIFY_EMAIL_TEMPLATE", "", "the provider's email template id, taking ((subject)) and ((body))")
	str(&m.NotifySMSTemplate, "notify-sms-template", "CHARTER_NOTIFY_SMS_TEMPLATE", "", "the provider's text message template id, taking ((body))")
	m.CallbackToken = getenv("CHARTER_NOTIFY_CALLBACK_TOKEN")
	str(&m.LettersDir, "letters-dir", "CHARTER_LETTERS_DIR", "letters", "the print-queue folder letters are written to")
	str(&m.OutboxDir, "outbox-dir", "CHARTER_OUTBOX_DIR", "outbox", "where email and texts are written when there is no mail server or provider")
	m.SendRate = 10
	if v := getenv("CHARTER_SEND_RATE"); v != "" {
		if _, err := fmt.Sscan(v, &m.SendRate); err != nil {
			m.SendRate = -1
		}
	}
	fs.Float64Var(&m.SendRate, "send-rate", m.SendRate, "the most messages a second on each channel (env CHARTER_SEND_RATE)")
	dur(&m.Lease, "worker-lease", "CHARTER_WORKER_LEASE", 2*time.Minute, "how long a worker holds a message it is sending before another may try")
	dur(&m.RetryBase, "retry-base", "CHARTER_RETRY_BASE", 10*time.Second, "the first wait before trying a failed send again; it doubles each time, to an hour")
	dur(&m.Poll, "poll", "CHARTER_POLL", 5*time.Second, "the longest a worker sleeps when there is nothing to send")
	m.Worker = getenv("CHARTER_WORKER") != "false"
	fs.BoolVar(&m.Worker, "worker", m.Worker, "also deliver messages and act on timers in this process (env CHARTER_WORKER)")
}

func (m *Messaging) validate() error {
	var problems []error
	bad := func(flagName, env, format string, args ...any) {
		problems = append(problems, fmt.Errorf("--%s (%s): %s", flagName, env, fmt.Sprintf(format, args...)))
	}
	if u, err := url.Parse(m.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("public-url", "CHARTER_PUBLIC_URL", "%q is not an http or https address", m.PublicURL)
	}
	if m.SMTP != "" {
		if _, _, err := net.SplitHostPort(m.SMTP); err != nil {
			bad("smtp", "CHARTER_SMTP", "%q is not host:port", m.SMTP)
		}
		if !strings.Contains(m.SMTPFrom, "@") {
			bad("smtp-from", "CHARTER_SMTP_FROM", "%q has no email address", m.SMTPFrom)
		}
	}
	if m.NotifyURL != "" {
		if u, err := url.Parse(m.NotifyURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			bad("notify-url", "CHARTER_NOTIFY_URL", "%q is not an http or https address", m.NotifyURL)
		}
		if _, _, err := notify.ParseAPIKey(m.NotifyKey); err != nil {
			problems = append(problems, fmt.Errorf("CHARTER_NOTIFY_KEY: %v", err))
		}
		if m.NotifyEmailTemplate == "" || m.NotifySMSTemplate == "" {
			bad("notify-email-template", "CHARTER_NOTIFY_EMAIL_TEMPLATE", "give both template ids with --notify-url (and --notify-sms-template)")
		}
	}
	if m.CallbackToken != "" && len(m.CallbackToken) < 20 {
		problems = append(problems, errors.New("CHARTER_NOTIFY_CALLBACK_TOKEN: use at least 20 random characters"))
	}
	if m.SendRate <= 0 {
		bad("send-rate", "CHARTER_SEND_RATE", "give a number of messages a second above 0")
	}
	for _, d := range []struct {
		v         time.Duration
		flag, env string
	}{{m.Lease, "worker-lease", "CHARTER_WORKER_LEASE"}, {m.RetryBase, "retry-base", "CHARTER_RETRY_BASE"}, {m.Poll, "poll", "CHARTER_POLL"}} {
		if d.v <= 0 {
			bad(d.flag, d.env, "give a positive duration such as 30s")
		}
	}
	return errors.Join(problems...)
}

// sender says who sends the messages.
func (m *Messaging) sender() message.Service {
	return message.Service{Name: "Your payments and our charter", PublicURL: strings.TrimRight(m.PublicURL, "/"), Phone: m.Phone}
}

// deliveryOptions builds the worker's channels from the settings, and says
// in the log where each channel's messages go.
func (m *Messaging) deliveryOptions(log *slog.Logger) app.DeliveryOptions {
	senders := map[message.Channel]app.Sender{message.ChannelLetter: &notify.Letters{Dir: m.LettersDir}}
	where := map[message.Channel]string{message.ChannelLetter: "print queue " + m.LettersDir}
	folder := &notify.Folder{Dir: m.OutboxDir, From: m.SMTPFrom}
	switch {
	case m.NotifyURL != "":
		p := &notify.Provider{BaseURL: m.NotifyURL, APIKey: m.NotifyKey, EmailTemplate: m.NotifyEmailTemplate, SMSTemplate: m.NotifySMSTemplate}
		senders[message.ChannelEmail], senders[message.ChannelSMS] = p, p
		where[message.ChannelEmail], where[message.ChannelSMS] = "provider "+m.NotifyURL, "provider "+m.NotifyURL
	default:
		senders[message.ChannelSMS] = folder
		where[message.ChannelSMS] = "local outbox " + filepath.Join(m.OutboxDir, "sms")
		senders[message.ChannelEmail] = folder
		where[message.ChannelEmail] = "local outbox " + filepath.Join(m.OutboxDir, "email")
	}
	if m.SMTP != "" {
		senders[message.ChannelEmail] = &notify.SMTP{Addr: m.SMTP, From: m.SMTPFrom, Username: m.SMTPUser, Password: m.SMTPPassword}
		where[message.ChannelEmail] = "mail server " + m.SMTP
	}
	log.Info("messages go by", "email", where[message.ChannelEmail], "sms", where[message.ChannelSMS], "letters", where[message.ChannelLetter])
	return app.DeliveryOptions{
		Senders: senders,
		Rate: map[message.Channel]float64{message.ChannelEmail: m.SendRate, message.ChannelSMS: m.SendRate,
			message.ChannelLetter: m.SendRate},
		Lease: m.Lease, RetryBase: m.RetryBase, Poll: m.Poll,
	}
}

// openWithMessaging reads a command's settings with the messaging ones
// (and any flags of its own that extra binds), checks them, and opens the
// service: serve, worker and demo start alike.
func openWithMessaging(ctx context.Context, e env, name string, args []string, extra func(*flag.FlagSet)) (*Config, *Messaging, *slog.Logger, *app.Service, error) {
	m := &Messaging{}
	cfg, _, err := flags(name, e, args, func(fs *flag.FlagSet) {
		if extra != nil {
			extra(fs)
		}
		m.bind(fs, e.getenv)
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if err := cfg.useMessaging(m, e, name); err != nil {
		return nil, nil, nil, nil, err
	}
	log := cfg.logger()
	svc, err := open(ctx, cfg, log)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return cfg, m, log, svc, nil
}
