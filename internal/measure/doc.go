// Package measure is the charter measurement framework's domain: measure
// definitions as data, the facts each application contributes, financial
// years and quarters, and the one-pass computation of every measure. It
// does no I/O: callers hand it bytes, rows and responses, and get raw
// figures back. Raw figures are never published as they are:
// internal/measure/report releases them through internal/disclosure.
//
// # Facts
//
// Measures are computed from Facts, a flat row of scalars per application
// (dates, counts, yes/no, short text), so that a store can keep one row
// per application, written in the same transaction as each event:
//
//	f, err := measure.FactsOf(rules, events) // the whole log, after the append
//	f.Ref = ref.String()
//	... write f.Values() into the columns named by measure.FactFields()
//
// and stream them back cheaply (scan a row into f.ScanTargets()). FactFields
// lists every field with the name definitions use ("decided_on") and a
// plain description, for `charter check` and for documentation. Facts of an
// open application are as its events say so far.
//
// # Definitions
//
// ParseSet reads a measures file (examples/measures.yaml) and checks it
// against the charter: every problem is a charter.Problem, "FILE:LINE:
// message", like the charter's own. Set.Unmeasured lists the commitments no
// measure evidences, for `charter check` to print as a note. A measure
// names the commitments it evidences, a plain question, a source (events,
// survey, feedback, evidence), a computation, breakdowns, a unit, a target
// and which way is better. An events computation counts applications in
// the period a date fact falls in ("counted_on"), among those meeting
// every condition in "where" (see Conditions in condition.go); it may add
// up a count fact ("sum") instead of counting applications. Kinds: count;
// share (a numerator as a percentage of the count); median and percentile
// of a number fact; rate (one count per N of another).
//
// # Periods
//
// Period is a financial year, "2025-26" (April to March), or a quarter,
// "2025-26 Q1" (April to June) to "2025-26 Q4" (January to March):
// ParsePeriod, String, First, Last, Contains, YearOf, QuarterOf, Previous,
// Trend(n), Quarters.
//
// # Computing
//
//	plan := measure.ReportPlan(year, 5, today)   // the year, 4 years before it, its quarters
//	rs, err := measure.Compute(set, plan, facts, responses, feedback)
//
// or, row by row: e, err := NewEngine(set, plan); e.Add(&f) for each row;
// e.AddSurvey(responses); e.AddFeedback(counts); rs := e.Results(). One pass
// computes every measure for every period of the plan and every breakdown,
// keeping counts per cell and the values of medians as histograms, so
// memory grows with the cells, not the rows. RefreshPlan(period, today) is
// the cheapest plan covering a period: its financial year and quarters,
// for which only that year's facts need streaming. Results hold, per
// measure, raw numerators, denominators and values per cell (breakdown
// value × period), and the frames (counts) they come from, which measures
// counting the same thing share.
//
// Surveys: ParseSurveyCSV reads one response a row (response_id, an
// optional period or date column, an optional respondent column, then one
// column per question id, answers 1 to 5 or blank) and returns every
// response or SurveyProblems ("row N, column C (name): message"), never
// both. Feedback: FeedbackCount is a count per commitment per day (or per
// period, dated on its first day), kind feedback or complaint.
package measure
