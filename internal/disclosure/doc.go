// Package disclosure decides what of a table of counts about people may be
// published, so that no one can work out a small number of people from a
// published report. Every figure a report may hold is one of this
// package's published types — Count, Ratio and Statistic — whose fields
// are unexported: they can only be made by a Release, and a Release can
// only be made by Protect from raw tables. So no published output can
// bypass disclosure control: there is no other way to make one.
//
// It is a domain package: no I/O.
//
// # Tables
//
// A Table holds the raw counts of one quantity ("decisions made") for one
// financial year: the count for everyone, and for each value of each
// breakdown (benefit, area, …), in each period. The cells of a breakdown
// add up to the total; when Parts says a period is made up of others (a
// year of its four quarters), each row's parts add up to its whole. Protect
// checks that they do. A Pair names two tables as numerator and
// denominator of a ratio to publish; in a share (Part) the numerator counts
// a part of the denominator, cell by cell. A quantity is one table,
// however many measures publish it, so that it is suppressed the same way
// wherever it appears.
//
//	rel, err := disclosure.Protect(tables, pairs)
//	rel.Count(tableID, cell)                      // a Count: "1,235", "[c]" or ""
//	rel.Ratio(numID, denID, cell, 100)            // a Ratio: "92.3", "[c]" or ""
//	rel.Statistic(groupID, cell, median)          // a Statistic
//
// Each published type has State (Shown, Suppressed or NoData), Value (the
// published number and whether it is shown) and String.
//
// # Rules
//
//   - A count of 1 to 4 is suppressed (primary suppression), shown as [c].
//   - A count of 0 is published as 0. Nobody is in the cell, so there is
//     no one to identify, and hiding zeros would hide that something never
//     happened ("no complaints about this commitment"). Zeros are not
//     suppressed (unless a whole table is withheld: see below), so a [c]
//     stands for at least one.
//   - Any other count is published rounded to the nearest 5 (12 as 10, 13
//     as 15).
//   - More counts are suppressed (secondary suppression) until no
//     suppressed count can be worked out from the published ones: see the
//     attacker model below.
//   - A percentage, or a rate per N, is worked out from the unrounded
//     counts and published to one decimal place; it is suppressed when its
//     numerator or its denominator is, and there is none when the
//     denominator is 0.
//   - A statistic over a group (a median or percentile) is published to
//     one decimal place; it is suppressed when the group's count is, and
//     there is none when the group is empty.
//
// # Attacker model
//
// The attacker knows everything published: every rounded count, every
// percentage, rate and statistic, which counts are suppressed and which are
// 0; and the rules above, including which suppressed counts are primary (1
// to 4) and which secondary (5 or more), and that in a share the numerator
// is never above its denominator. They know how the cells of a table add
// up: breakdowns to totals, the same total shared by every breakdown, and
// quarters to the year.
//
// Secondary suppression assumes more than that: that the attacker knows
// every published count exactly, not rounded. Percentages published to a
// decimal place can pin down the exact counts behind them (8 of 13 is the
// only pair of counts published as 10 and 15 that makes 61.5%), so
// rounding cannot be relied on; a count the attacker cannot work out even
// from exact published counts stays safe whatever the percentages give
// away.
//
// For every suppressed count Protect finds another table of counts that
// agrees with every published count exactly, keeps every suppressed count
// in its range (1 to 4 for primary, 5 or more for secondary) and makes
// every part add up to its whole, but differs in that count by one: a
// change of +1 and -1 along suppressed cells that cancels in every sum. A
// count that can move like that cannot be pinned down. A share's
// numerator and denominator are laid out alike and protected together: the
// change may be made to both at once, cell by cell, so the numerator
// stays within its denominator. When no such change exists, Protect
// suppresses the fewest further nonzero counts that make one, keeping the
// totals for everyone if it can and taking the smallest counts first; if
// that fails it suppresses every count in the cell's row and column and
// looks again; if that fails too it withholds the table: every cell,
// zeros included, is shown as [c].
//
// A property test plays the attacker: on many random small tables
// (breakdowns sharing a total, a year and its parts, shares and rates
// with their percentages) it enumerates every table of counts consistent
// with what is published (rounded counts as their ranges, percentages at
// their precision) and fails if any suppressed count takes the same value
// in all of them. It plays the stronger attacker too, who knows every
// published count exactly. Another test shows the attacker does work out
// small counts when only they are suppressed.
//
// Outside the model:
//
//   - Rerunning the search. Which further cells Protect suppresses depends
//     on the suppressed counts themselves (a count of 4 cannot go up, so
//     another cell must move instead). An attacker who reruns Protect on
//     every candidate table and keeps only those that give the same
//     suppressed cells can, in some very small tables, narrow a count
//     down to one value: in our tests of random tables of up to 30
//     people, about one release in ten. Tables of real services, with
//     hundreds of people in most cells, leave far more room.
//   - Several releases. Figures from two releases of overlapping tables
//     (a quarter published alone, then again with its year) are each
//     protected on their own, not together: publish a period's figures
//     from one release.
//   - Other relations between quantities. Tables are protected together
//     only when they are the same quantity (one table, however many
//     measures show it) or a share's parts. Two measures whose numerators
//     are each other's complement, say, are protected separately.
//   - Statistics. A median or percentile is a value, not a count; it is
//     withheld with its group, but what it says about the values in the
//     groups beside it is not modelled.
package disclosure
