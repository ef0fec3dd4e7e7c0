package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/message"
)

// SMTP sends email through a mail server. Each message carries a
// Message-ID made from its key, so a retry after a crash between the
// server accepting it and the outbox recording that is recognisable as
// the same message. SMTP cannot be asked whether it already has a message,
// so email by SMTP is at least once; the provider API is exactly once.
type SMTP struct {
	Addr     string // host:port
	From     string // "Your payments <noreply@example.org>"
	Username string // empty: no authentication
	Password string
	Timeout  time.Duration // for connecting and for the whole conversation [30s]
}

// Send delivers an email.
func (s *SMTP) Send(ctx context.Context, m message.Outgoing) (string, error) {
	if m.Channel != message.ChannelEmail && m.Channel != message.ChannelStaff {
		return "", message.Permanent("the mail server takes email only", nil)
	}
	if m.Recipient == "" {
		return "", message.Permanent("there is no email address to send to", nil)
	}
	from, err := mailAddress(s.From)
	if err != nil {
		return "", message.Permanent("the sender's address is not set up properly", err)
	}
	id := messageID(m.Key, from)
	msg := compose(s.From, m.Recipient, m.Subject, m.Body, id)
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := s.deliver(ctx, from, m.Recipient, msg); err != nil {
		return "", classifySMTP(err)
	}
	return id, nil
}

func (s *SMTP) deliver(ctx context.Context, from, to string, msg []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// classifySMTP: a 5xx reply is permanent (no such mailbox), anything else
// (4xx, a refused connection, a timeout) is worth trying again.
func classifySMTP(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return message.Permanent(fmt.Sprintf("the mail server refused it: %d %s", tp.Code, tp.Msg), err)
	}
	return message.Temporary("the mail server could not be reached or asked us to wait", 0, err)
}

func mailAddress(s string) (string, error) {
	if i := strings.LastIndex(s, "<"); i >= 0 && strings.HasSuffix(s, ">") {
		s = s[i+1 : len(s)-1]
	}
	if !strings.Contains(s, "@") {
		return "", fmt.Errorf("%q is not an email address", s)
	}
	return s, nil
}

// messageID makes a Message-ID from a message key and the sender's domain.
func messageID(key, from string) string {
	domain := from[strings.LastIndex(from, "@")+1:]
	return "<" + fileName(key) + "@" + domain + ">"
}

// compose writes an RFC 5322 message: UTF-8 text, quoted-printable.
func compose(from, to, subject, body, id string) []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from)
	h("To", to)
	h("Subject", mime.QEncoding.Encode("utf-8", subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	h("Message-ID", id)
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}
