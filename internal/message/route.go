package message

import (
	"github.com/charter-service/charter/internal/casework"
)

// Channel is a way a message reaches someone.
type Channel string

const (
	ChannelEmail  Channel = "email"
	ChannelSMS    Channel = "sms"
	ChannelLetter Channel = "letter"
	ChannelStaff  Channel = "staff" // the staff alerts list (and its mailbox, if one is set)
	ChannelNone   Channel = "none"  // the client asked for no contact: recorded, not sent
)

// Delivery is one message on one channel, as routed.
type Delivery struct {
	Channel Channel
	// Status is where it starts: queued, or needs_human when a person must
	// prepare it (Braille, BSL, easy read, another language, no address), or
	// not_sent when the client asked for no contact.
	Status     Status
	Reason     string // why it needs a person or is not sent, in plain words
	LargePrint bool   // a letter in larger type
}

// Route works out the channels for a planned message from the client's
// contact details and needs. Nothing is dropped silently: what cannot be
// sent automatically goes to a person, with the reason.
func Route(c casework.Client, p Planned) []Delivery {
	if p.Staff {
		return []Delivery{{Channel: ChannelStaff, Status: StatusQueued}}
	}
	pref := Channel(c.PreferredContact)
	if pref == "" { // not said: the first we have
		switch {
		case c.Email != "":
			pref = ChannelEmail
		case c.Phone != "":
			pref = ChannelSMS
		case c.Address != nil:
			pref = ChannelLetter
		default:
			pref = ChannelLetter // and it will need a person: we have no address
		}
	}
	var out []Delivery
	switch pref {
	case ChannelEmail, ChannelSMS:
		out = append(out, Delivery{Channel: pref, Status: StatusQueued})
		if p.Formal {
			out = append(out, Delivery{Channel: ChannelLetter, Status: StatusQueued})
		}
	case ChannelLetter:
		out = append(out, Delivery{Channel: ChannelLetter, Status: StatusQueued})
	case ChannelNone:
		if p.Formal {
			out = append(out, Delivery{Channel: ChannelLetter, Status: StatusQueued})
		} else {
			out = append(out, Delivery{Channel: ChannelNone, Status: StatusNotSent,
				Reason: "The client asked us not to contact them: they read news on their application page."})
		}
	}
	for i := range out {
		d := &out[i]
		if d.Channel == ChannelLetter && c.Address == nil {
			d.Status, d.Reason = StatusNeedsHuman, "We have no postal address for the client: find one, or send it another way."
			continue
		}
		if reason := needsPerson(c, d.Channel); reason != "" {
			d.Status, d.Reason = StatusNeedsHuman, reason
		}
		d.LargePrint = d.Channel == ChannelLetter && c.AccessibleFormat == casework.FormatLargePrint
	}
	return out
}

// needsPerson says why a message on a channel needs a person to prepare
// it for the client's accessible format, or "" if it does not. Emails and
// texts work with screen readers, so Braille and BSL change only letters;
// easy read and another language change everything.
func needsPerson(c casework.Client, ch Channel) string {
	switch c.AccessibleFormat {
	case casework.FormatBraille:
		if ch == ChannelLetter {
			return "The client needs letters in Braille: have this letter transcribed and posted."
		}
	case casework.FormatBSL:
		if ch == ChannelLetter {
			return "The client needs British Sign Language: send this letter as a BSL video, or arrange a video call with an interpreter."
		}
	case casework.FormatEasyRead:
		return "The client needs easy read: send an easy read version of this message."
	case casework.FormatOtherLanguage:
		return "The client needs this in " + c.Language + ": have it translated and send it."
	}
	return ""
}
