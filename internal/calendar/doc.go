// Package calendar holds civil dates and working days in Scotland.
//
// What lives here:
//
//   - Date, a civil date (no time of day, no zone) with parsing, formatting
//     ("2006-01-02" for machines, "Monday 2 March 2026" for people) and
//     calendar-day arithmetic.
//   - Calendar, which answers working-day questions: is a date a working day,
//     what is the n-th working day after a date, how many working days lie
//     between two dates, and which bank holidays fall in a year.
//   - The rules for Scotland's bank holidays (rules.go), each with the
//     statute, proclamation practice or gov.uk list it comes from. Recurring
//     holidays come from github.com/rickar/cal/v2 where that library has
//     them; what it lacks for Scotland (2 January, St Andrew's Day, chained
//     weekend substitution) is added here.
//   - One-off bank holidays (jubilees, coronations, state funerals, and
//     holidays moved for a year) in a YAML file, oneoff.yaml, embedded as the
//     default and replaceable at run time with NewScotland, so an operator can
//     add a newly proclaimed holiday without a release.
//
// This is a domain package: it does no I/O. Callers read any replacement
// one-off file themselves and hand the bytes to NewScotland.
//
// Working-day questions are answered from a table built once when a Calendar
// is made (see calendar.go), so they take a few nanoseconds; dates outside the
// table's range are still answered correctly, one day at a time.
package calendar
