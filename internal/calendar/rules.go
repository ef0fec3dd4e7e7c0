package calendar

import (
	"slices"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"
)

// Scotland's recurring bank holidays.
//
// Sources:
//   - Banking and Financial Dealings Act 1971, Schedule 1, para 2 (Scotland):
//     New Year's Day, 2 January, Good Friday, the first Monday in May, the
//     first Monday in August and Christmas Day.
//   - Royal proclamations made each year under section 1 of that Act add
//     Boxing Day (since 1974) and the last Monday in May, and appoint
//     substitute days for holidays falling at a weekend.
//   - St Andrew's Day Bank Holiday (Scotland) Act 2007 (asp 2), s.1, which
//     adds 30 November to para 2.
//   - The published Scotland lists at https://www.gov.uk/bank-holidays, which
//     the tests check against, and whose names we use.
//
// Easter Monday is a bank holiday in England, Wales and Northern Ireland
// (Schedule 1, para 1 and 3) but NOT in Scotland, so gb.EasterMonday is left
// out. The summer holiday in Scotland is the FIRST Monday of August
// (gb.SummerHolidayScotland), not the last (gb.SummerHoliday).
//
// The library's gb package also hard-codes single years: gb.EarlyMay and
// gb.SpringHoliday carry Except lists (2020, 2022) and gb.VEDay,
// gb.SpringHoliday2022, gb.PlatinumJubilee and gb.CoronationDay are one-off
// days. Those were each made by a proclamation for that year only, so here
// they are one-offs: they live in oneoff.yaml (with "replaces" for the moved
// days) and the rules below clear the Except lists. That keeps this file to
// recurring law and lets an operator correct or add a one-off without a
// release.
var scottishRules = []*cal.Holiday{
	// 1971 Act, Sch. 1 para 2: "New Year's Day, if it be not a Sunday or, if
	// it be a Sunday, 3rd January". Saturday: substitute by proclamation.
	// Not gb.NewYear's substitution rule, which moves a Sunday to Monday
	// 2 January: in Scotland that is a holiday already (see substitute).
	gb.NewYear.Clone(&cal.Holiday{Name: "New Year’s Day", Observed: []cal.AltDay{}}),

	// 1971 Act, Sch. 1 para 2: "2nd January, if it be not a Sunday or, if it
	// be a Sunday, 3rd January". Not in the library.
	{
		Name:  "2nd January",
		Type:  cal.ObservanceBank,
		Month: time.January,
		Day:   2,
		Func:  cal.CalcDayOfMonth,
	},

	// 1971 Act, Sch. 1 para 2: "Good Friday".
	gb.GoodFriday.Clone(&cal.Holiday{Name: "Good Friday"}),

	// 1971 Act, Sch. 1 para 2: "The first Monday in May". Except cleared:
	// 2020's move to 8 May is a one-off in oneoff.yaml.
	gb.EarlyMay.Clone(&cal.Holiday{Name: "Early May bank holiday", Except: []int{}}),

	// Last Monday in May, by annual proclamation (in Scotland since 1978).
	// Except cleared: the moves in 2002, 2012 and 2022 are one-offs in
	// oneoff.yaml.
	gb.SpringHoliday.Clone(&cal.Holiday{Name: "Spring bank holiday", Except: []int{}, StartYear: 1978}),

	// 1971 Act, Sch. 1 para 2: "The first Monday in August".
	gb.SummerHolidayScotland.Clone(&cal.Holiday{Name: "Summer bank holiday"}),

	// St Andrew's Day Bank Holiday (Scotland) Act 2007, s.1, amending Sch. 1
	// para 2: "30th November, if it is not a Saturday or Sunday or, if it is
	// a Saturday or Sunday, the first Monday following that day". In force
	// from 16 January 2007. Not in the library.
	{
		Name:      "St Andrew’s Day",
		Type:      cal.ObservanceBank,
		StartYear: 2007,
		Month:     time.November,
		Day:       30,
		Func:      cal.CalcDayOfMonth,
	},

	// 1971 Act, Sch. 1 para 2: "Christmas Day, if it be not a Sunday or, if
	// it be a Sunday, 26th December". Saturday: substitute by proclamation.
	gb.ChristmasDay.Clone(&cal.Holiday{Observed: []cal.AltDay{}}),

	// 26 December, by annual proclamation in Scotland since 1974 (it is not
	// in para 2). Substitution as published on gov.uk (see substitute).
	gb.BoxingDay.Clone(&cal.Holiday{StartYear: 1974, Observed: []cal.AltDay{}}),
}

// substituteSuffix is how gov.uk names a day given in place of a holiday
// that fell at a weekend.
const substituteSuffix = " (substitute day)"

// ruleHolidays returns the bank holidays the recurring rules give for year,
// at their observed dates, sorted by date. One-offs are not included.
func ruleHolidays(year int) []Holiday {
	actual := make([]Holiday, 0, len(scottishRules))
	for _, r := range scottishRules {
		a, _ := r.Calc(year)
		if a.IsZero() {
			continue // not observed this year
		}
		actual = append(actual, Holiday{Date: DateOf(a), Name: r.Name})
	}
	return substitute(actual)
}

// substitute moves holidays that fall on a Saturday or Sunday to the next
// weekday that is not already a bank holiday, and names them as gov.uk does.
//
// Holidays on weekdays keep their dates; weekend ones are then placed in date
// order. This "chained" substitution is what the Act and the annual
// proclamations give for Scotland's pairs of adjacent holidays:
//
//   - 1 Jan Saturday, 2 Jan Sunday: 1 Jan → Monday 3rd, 2 Jan → Tuesday 4th.
//   - 1 Jan Sunday: 2 Jan is Monday, so 1 Jan → Tuesday 3rd (the Act's
//     "if it be a Sunday, 3rd January").
//   - 25 Dec Saturday, 26 Dec Sunday: → Monday 27th and Tuesday 28th.
//   - 25 Dec Sunday: Boxing Day is Monday 26th, Christmas → Tuesday 27th
//     (gov.uk 2022: "Christmas Day (substitute day)" on 27 December).
//   - 26 Dec Saturday: Boxing Day → Monday 28th.
//   - St Andrew's Day on a Saturday or Sunday → the following Monday, as its
//     Act says; 1 and 2 December are never otherwise holidays.
//
// hs must be sorted by date; the result is sorted by date.
func substitute(hs []Holiday) []Holiday {
	taken := make(map[Date]bool, len(hs))
	for _, h := range hs {
		if !isWeekend(h.Date) {
			taken[h.Date] = true
		}
	}
	for i, h := range hs {
		if !isWeekend(h.Date) {
			continue
		}
		d := h.Date + 1
		for isWeekend(d) || taken[d] {
			d++
		}
		taken[d] = true
		hs[i] = Holiday{Date: d, Name: h.Name + substituteSuffix}
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int { return int(a.Date) - int(b.Date) })
	return hs
}

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}
