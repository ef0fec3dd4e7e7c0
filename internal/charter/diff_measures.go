package charter

// MeasureLink is a measure and the commitment ids it evidences, as the
// measure was written: against the old version of a diff.
type MeasureLink struct {
	MeasureID     string   `json:"measure_id"`
	CommitmentIDs []string `json:"commitment_ids"`
}

// MeasureWarning says that a measure is linked to a commitment that was
// removed, reworded or renumbered, or that the old version does not have.
type MeasureWarning struct {
	MeasureID    string     `json:"measure_id"`
	CommitmentID string     `json:"commitment_id"` // as the measure names it
	Key          string     `json:"key,omitempty"`
	Change       ChangeKind `json:"change"` // removed, reworded, moved; "" if the old version has no such commitment
	NewID        string     `json:"new_id,omitempty"`
	Message      string     `json:"message"`
}

// MeasureWarnings lists the measures linked to commitments that were
// removed, reworded or moved (renumbered) by this diff, one warning per
// measure and commitment, in the order of links. A commitment both
// reworded and moved gives one warning that says both. A measure naming a
// commitment the old version does not have is warned about too.
func (d CharterDiff) MeasureWarnings(links []MeasureLink) []MeasureWarning {
	byOldID := map[string]CommitmentChange{}
	for _, c := range d.Commitments {
		if c.Old != nil {
			byOldID[c.Old.ID] = c
		}
	}
	var out []MeasureWarning
	for _, l := range links {
		for _, id := range l.CommitmentIDs {
			c, ok := byOldID[id]
			w := MeasureWarning{MeasureID: l.MeasureID, CommitmentID: id, Key: c.Key}
			switch {
			case !ok:
				w.Message = "measure " + l.MeasureID + " names commitment " + id + ", which version " + d.OldVersion + " does not have"
			case c.Removed:
				w.Change = ChangeRemoved
				w.Message = "measure " + l.MeasureID + " evidences commitment " + id + ", which version " + d.NewVersion +
					" removes: retire the measure or link it to another commitment"
			case c.Reworded:
				w.Change, w.NewID = ChangeReworded, c.New.ID
				w.Message = "measure " + l.MeasureID + " evidences commitment " + id + ", which version " + d.NewVersion +
					" rewords: check the measure still asks the right question"
				if c.Moved {
					w.Message += ", and link it to " + c.New.ID + ", its new number"
				}
			case c.Moved:
				w.Change, w.NewID = ChangeMoved, c.New.ID
				w.Message = "measure " + l.MeasureID + " evidences commitment " + id + ", which is " + c.New.ID +
					" in version " + d.NewVersion + ": link the measure to " + c.New.ID
			default:
				continue
			}
			out = append(out, w)
		}
	}
	return out
}
