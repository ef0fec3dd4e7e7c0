// Package report builds the published charter report from raw measure
// results: sections, then commitments, then the measures that evidence
// them, each with its value, target, status, trend, breakdowns, narrative
// and improvement actions; the measures that missed their target with no
// open action, for the top of the report; an easy-read sentence per
// commitment; and the tidy rows of measures.csv. It renders nothing: the
// web and CLI layers render the model.
//
// It does no I/O, and every number in the model was released by
// internal/disclosure: Build protects the raw figures before anything else,
// and the model holds only disclosure.Count values and Figures, whose
// fields are unexported, so no figure can be put in it any other way.
//
//	rep, err := report.Build(report.Input{Charter: ch, Benefits: cat, Set: set,
//		Results: rs, Year: year, Trend: 5, Narratives: n, Actions: as, YouSaid: ys, Evidence: es})
//	rows := report.TidyRows(rep) // write report.TidyHeader, then row.Record() for each
//
// Status (StatusOf) is met, not met, improving (not met, but better than
// the period before in the target's direction), no data, or too few to
// report (suppressed), judged on the published figures a reader sees.
//
// Improvement actions, "you said, we did" entries and qualitative evidence
// are plain types with Validate methods that return errs.Invalid errors
// naming the field at fault, joined with errors.Join. A measure that
// misses its target counts as having an action when an open one (planned
// or in progress) is linked to it or to one of its commitments.
package report
