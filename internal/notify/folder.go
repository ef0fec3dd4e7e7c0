package notify

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/charter-service/charter/internal/message"
)

// Folder is a local outbox for trying the service without a mail server
// or a provider: each email is written as an .eml file (open it in any
// mail program) and each text message as a .txt file, named by the
// message's key, so a retry writes nothing twice.
type Folder struct {
	Dir  string
	From string // the From of the emails
}

// Send writes the message into Dir/email or Dir/sms.
func (f *Folder) Send(_ context.Context, m message.Outgoing) (string, error) {
	var sub, ext string
	var data []byte
	switch m.Channel {
	case message.ChannelEmail, message.ChannelStaff:
		sub, ext = "email", ".eml"
		data = compose(f.From, m.Recipient, m.Subject, m.Body, messageID(m.Key, "charter@localhost"))
	case message.ChannelSMS:
		sub, ext = "sms", ".txt"
		data = []byte("To: " + m.Recipient + "\n\n" + m.Body + "\n")
	default:
		return "", message.Permanent("the local outbox takes email and text messages only", nil)
	}
	dir := filepath.Join(f.Dir, sub)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", message.Temporary("the local outbox folder cannot be written", 0, err)
	}
	path := filepath.Join(dir, fileName(m.Key)+ext)
	if _, err := os.Stat(path); err == nil {
		return filepath.ToSlash(filepath.Join(sub, filepath.Base(path))), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", message.Temporary("the local outbox folder cannot be read", 0, err)
	}
	if err := writeFileAtomic(path, data); err != nil {
		return "", message.Temporary("the message could not be written to the local outbox", 0, err)
	}
	return filepath.ToSlash(filepath.Join(sub, filepath.Base(path))), nil
}
