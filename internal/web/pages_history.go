package web

import (
	"net/http"
	"strconv"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
)

// The charter's history: every published version, newest first, with
// what changed in each commitment and why.

// historyView is the history page.
type historyView struct {
	Chrome   Chrome
	Current  string
	Versions []versionView
}

// versionView is one published version.
type versionView struct {
	Version   string
	Anchor    string
	Current   bool
	Published calendar.Date
	Previous  string
	Reason    string
	ReviewURL string // the round's findings, for staff; "" for the public
	First     bool
	Changes   []changeView
	Other     []string // other changes in words: sections, "please help us by", glossary
	Unchanged bool     // nothing a reader sees changed
}

// changeView is one commitment that changed between two versions.
type changeView struct {
	Key      string
	Anchor   string
	ID       string // its number now, or before it was removed
	Heading  string // "Commitment 1.4", "New commitment 2.12", "Commitment 2.11 (removed)"
	Level    int    // the heading's level: 4 under a version's "What changed", 3 on a draft's page
	Summary  string // "reworded, and renumbered from 2.12 to 2.11"
	Tags     []string
	Words    []wordRun // reworded: the text word by word
	Text     string    // not reworded: the text (old, if removed)
	Added    bool
	Removed  bool
	Reason   string
	Evidence []evidenceView
}

// wordRun is a stretch of a reworded text: same, removed or added.
type wordRun struct {
	Same, Removed, Added bool
	Text                 string
}

// evidenceView is a coded comment behind a change.
type evidenceView struct {
	ID, Text, Attribution, Commitment, Sentiment string
	Themes                                       []string
	Quotable                                     bool
}

func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.CharterHistory(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := historyView{Chrome: s.chrome(r, "Versions of our charter")}
	for _, e := range h {
		vv := versionView{Version: e.Version, Anchor: "version-" + slug(e.Version), Current: e.Current, Previous: e.Previous,
			First: e.Diff == nil}
		if e.Current {
			v.Current = e.Version
		}
		vv.Published, _ = calendar.ParseDate(e.Charter.Published)
		if e.Known {
			vv.Reason = e.Info.Reason
			if vv.Published.IsZero() {
				vv.Published = e.Info.PublishedOn
			}
		}
		if vv.Published.IsZero() {
			vv.Published = calendar.DateOf(e.LoadedAt)
		}
		if e.Diff != nil {
			vv.Changes = changeViews(*e.Diff, 4, e.Info.Changes, nil)
			vv.Other = otherChanges(*e.Diff)
			vv.Unchanged = !e.Diff.HasChanges()
		}
		v.Versions = append(v.Versions, vv)
	}
	s.render(w, r, http.StatusOK, "charter-history", v)
}

// changeViews lists the commitments a diff changed, with the reason for
// each (by key) and, on the draft page, the evidence; level is the level
// of each change's heading.
func changeViews(d charter.CharterDiff, level int, reasons map[string]app.ChangeReason, evidence map[string][]evidenceView) []changeView {
	var out []changeView
	for _, c := range d.Changed() {
		cv := changeView{Key: c.Key, ID: c.ID(), Level: level, Summary: c.Summary(), Added: c.Added, Removed: c.Removed,
			Anchor: "change-" + slug(d.NewVersion) + "-" + c.Key, Evidence: evidence[c.Key]}
		switch {
		case c.Added:
			cv.Heading, cv.Text, cv.Tags = "New commitment "+c.New.ID, c.New.Text, []string{"New"}
		case c.Removed:
			cv.Heading, cv.Text, cv.Tags = "Commitment "+c.Old.ID+" (removed)", c.Old.Text, []string{"Removed"}
		default:
			cv.Heading, cv.Text = "Commitment "+c.New.ID, c.New.Text
			if c.Reworded {
				cv.Tags = append(cv.Tags, "Reworded")
				for _, w := range c.Words {
					cv.Words = append(cv.Words, wordRun{Same: w.Op == charter.WordSame, Removed: w.Op == charter.WordRemoved,
						Added: w.Op == charter.WordAdded, Text: w.Text})
				}
			}
			if c.Moved {
				cv.Tags = append(cv.Tags, "Moved")
				cv.Heading += " (was " + c.Old.ID + ")"
			}
		}
		if why, ok := reasons[c.Key]; ok {
			cv.Reason = why.Reason
		}
		out = append(out, cv)
	}
	return out
}

// otherChanges says in words what else changed: sections, "please help
// us by" and the glossary.
func otherChanges(d charter.CharterDiff) []string {
	var out []string
	for _, s := range d.Sections {
		switch {
		case s.Added:
			out = append(out, "New section "+strconv.Itoa(s.Number)+": "+s.NewTitle+".")
		case s.Removed:
			out = append(out, "Section "+strconv.Itoa(s.Number)+", "+s.OldTitle+", was removed.")
		default:
			out = append(out, "Section "+strconv.Itoa(s.Number)+" has a new title or description: "+s.NewTitle+".")
		}
	}
	for _, rc := range d.Responsibilities {
		switch {
		case rc.Added:
			out = append(out, "New under \"please help us by\": "+rc.New.Text)
		case rc.Removed:
			out = append(out, "No longer under \"please help us by\": "+rc.Old.Text)
		case rc.Reworded || rc.Moved:
			out = append(out, "Reworded under \"please help us by\": "+rc.New.Text)
		}
	}
	for _, t := range d.Glossary {
		switch {
		case t.Added:
			out = append(out, "New in the glossary: "+t.Term+".")
		case t.Removed:
			out = append(out, "Taken out of the glossary: "+t.Term+".")
		case t.Reworded:
			out = append(out, "New definition in the glossary: "+t.Term+".")
		}
	}
	return out
}
