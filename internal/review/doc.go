// Package review holds charter reviews as data: review rounds with their
// participants, agree/disagree statements and codebook; the answers and the
// coded comments gathered in surveys, interviews and workshops; the
// findings worked out from them; and draft revisions of the charter, each
// change backed by the comments that motivate it.
//
// It is a domain package: no I/O. Callers read files and hand over bytes or
// an io.Reader; the store keeps rounds, answers, comments and drafts; pages
// render Findings and Revision values. It does not render HTML.
//
// # The round file (YAML)
//
// ParseRound reads a round against the charter version it reviews (see
// examples/review-round.yaml). Fields: id (a slug), name, starts and ends
// (YYYY-MM-DD), charter_version (must be the given charter's version),
// small_group (default 10), quotes_per_commitment (default 3), commitments
// (keys gone through line by line; optional), participants (a mapping from
// partner-organisation, client-group and staff to lists of anonymous ids
// such as P3 or C12), statements (each id, text, and optionally the
// commitments and themes it is about) and codebook (each theme's id, name
// and one-line definition; without it, DefaultCodebook). Every problem is
// reported as FILE:LINE: message, in a charter.Problems: unknown themes,
// unknown commitment keys, repeated ids and so on.
//
// # Import files (CSV)
//
// Both imports take a header row naming the columns in any order (matched
// ignoring case, and spaces, hyphens or underscores between words), then
// one record a row. They are all or nothing: either every row is returned,
// or ImportProblems lists every problem (up to MaxImportProblems), each as
// "row N, column C (header): message", and nothing is returned.
//
//   - ParseLikertCSV, the survey answers: participant, participant_type and
//     one column per statement id; each cell 1 to 5, the words of the
//     scale, "don't know", or empty for no answer.
//   - ParseCommentsCSV, coded comments: id, participant, commitment (an id
//     such as 1.4, a key, or "general"), source (survey, interview or
//     workshop), text, themes (separated by semicolons), sentiment
//     (positive, negative or mixed) and quotable (yes or no; optional).
//
// # Findings
//
// BuildFindings is a pure function from a round, the charter under review,
// answers and comments to Findings: who took part; each statement's
// answers as shares; per commitment the number of comments, the themes
// raised, the balance of sentiment and chosen quotes with who said them;
// and each theme across commitments. Each part has a summary sentence in
// the style of research findings. When fewer people than the round's
// small_group answered a statement or commented on a commitment, shares
// are words (see ProportionWords for the bands) and the counts behind them
// are left out of the model altogether. WriteFindingsCSV exports the same
// findings, one row per statement and per commitment and theme.
//
// # Revisions
//
// A Draft is the charter version it revises plus Proposals: new text for a
// commitment, a new commitment, or a removal, each with a reason and the
// ids of the coded comments behind it. ParseDraft reads a draft file (see
// examples/review-draft.yaml) with FILE:LINE problems; Draft.Check checks a
// draft built some other way, naming fields ("proposals[2].text"). Both
// refuse unknown commitments, two proposals about one commitment, empty
// text, and any change without evidence. Draft.Apply gives a Revision:
// the new charter, its YAML (which charter.ParseCharter reads back to the
// same charter), the charter.CharterDiff from the old version, and beside
// each changed commitment its proposal and evidence. Publishing warns with
// Revision.Diff.MeasureWarnings and Revision.Diff.TermsNoLongerUsed.
package review
