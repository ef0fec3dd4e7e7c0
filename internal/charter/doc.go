// Package charter holds the published client charter and the benefits that are
// run against it, as data: versions, sections, numbered commitments with stable
// keys, client responsibilities, a glossary, and per-benefit stages, service
// standards, challenge windows, usual evidence and decision criteria.
//
// It parses and validates the YAML formats (with file and line in every error)
// but does no I/O of its own: callers hand it bytes.
//
// # Loading
//
// ParseCharter and ParseCatalogue read one file each; Check reads several at
// once and tells a charter (top-level "sections") from a benefit catalogue
// (top-level "benefits"). Each returns every problem it finds, not just the
// first, as Problems: a list of Problem values, each printed "FILE:LINE:
// message". A file with any problem yields no result at all.
//
// Files are read strictly. A field the format does not have is an error (with
// a suggestion when it looks like a typing mistake), as is a field given twice.
// YAML aliases and merge keys are refused: write values out in full. A file
// holds one YAML document.
//
// # Charter rules
//
//   - Required: version, title, sections; for each section number, title,
//     descriptor (one line) and at least one commitment; for each commitment
//     id, key and text; for each responsibility id and text; for each
//     glossary entry term and definition.
//   - published, if given, is a real date written YYYY-MM-DD.
//   - Section numbers are 1 or more and unique. A commitment id is its section
//     number, a dot and its number in the section ("2.10"), and is unique.
//   - Commitment keys and responsibility ids are lowercase slugs
//     ("keep-you-updated") and unique.
//   - "related" names other commitments that exist. "terms" and "see_also"
//     name glossary terms exactly as the glossary writes them, and a term
//     listed in "terms" must appear in the text it belongs to (ignoring case,
//     allowing a plural or possessive ending), so stale references are caught.
//   - Glossary terms are unique, ignoring case.
//
// # Catalogue rules
//
//   - Required: benefits; for each benefit id, name, kind, stages, standards
//     (acknowledge_working_days, decide_working_days,
//     max_working_days_without_update) and at least one criterion; for each
//     stage id, name and client_text; for each criterion id and question; for
//     each piece of evidence id and name.
//   - kind is disability, carer or grant.
//   - Benefit ids are unique; stage, evidence and criterion ids are unique
//     within their benefit; all are lowercase slugs.
//   - The first stage is StageReceived ("received") and there is a
//     StageDecision ("decision") stage, neither of them optional: casework
//     moves every application into the first stage when it arrives and into
//     "decision" when a decision is recorded.
//   - Stage commitments are commitment ids; when a charter is given they must
//     exist in it.
//   - Every day count that is set is more than 0 (and at most 3660);
//     at_risk_percent, if set, is 1 to 99; window_starts_after_hours is not
//     negative. A benefit may not take longer to acknowledge than to decide,
//     and a late re-determination limit may not be shorter than the window.
package charter
