package store

import (
	"fmt"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/measure"
)

// The SQLite driver takes the connection's lock twice for each value it
// hands over (once to ask its type, once to read it), and a year's report
// reads some ten million values: the locks were near half of the time
// spent reading. So SQLite is asked for fewer, packed values: two dates in
// one integer (a date is a 32-bit day number), and every yes-or-no fact in
// one integer of bits. Text and numbers come as they are.

// packKind says how a column of a packed row carries facts.
type packKind int

const (
	packOne   packKind = iota // one fact, as it is
	packDates                 // two dates: the first in the high 32 bits, the second in the low
	packFlags                 // yes-or-no facts, the i-th in bit i
)

// packedColumn is one column of a packed row and the facts it carries.
type packedColumn struct {
	kind   packKind
	fields []measure.FactField
}

// packedSelect returns the select list that reads cols packed, and how to
// unpack each column.
func packedSelect(cols []measure.FactField) (string, []packedColumn) {
	var out []packedColumn
	var dates, flags []measure.FactField
	for _, c := range cols {
		switch c.Kind {
		case measure.FactDate:
			dates = append(dates, c)
		case measure.FactFlag:
			flags = append(flags, c)
		default:
			out = append(out, packedColumn{packOne, []measure.FactField{c}})
		}
	}
	for i := 0; i < len(dates); i += 2 {
		if i+1 == len(dates) {
			out = append(out, packedColumn{packOne, dates[i : i+1]})
		} else {
			out = append(out, packedColumn{packDates, dates[i : i+2]})
		}
	}
	for i := 0; i < len(flags); i += 62 {
		out = append(out, packedColumn{packFlags, flags[i:min(i+62, len(flags))]})
	}
	exprs := make([]string, len(out))
	for i, p := range out {
		switch p.kind {
		case packOne:
			exprs[i] = p.fields[0].Name
		case packDates:
			exprs[i] = fmt.Sprintf("(%s << 32) | (%s & 4294967295)", p.fields[0].Name, p.fields[1].Name)
		case packFlags:
			bits := make([]string, len(p.fields))
			for b, f := range p.fields {
				bits[b] = fmt.Sprintf("((%s != 0) << %d)", f.Name, b)
			}
			exprs[i] = strings.Join(bits, " | ")
		}
	}
	return strings.Join(exprs, ", "), out
}

// unpack sets the facts a packed column carries from its value.
func (p packedColumn) unpack(f *measure.Facts, v any) {
	n, _ := v.(int64)
	switch p.kind {
	case packDates:
		*p.fields[0].Pointer(f).(*calendar.Date) = calendar.Date(int32(n >> 32))
		*p.fields[1].Pointer(f).(*calendar.Date) = calendar.Date(int32(uint32(n)))
		return
	case packFlags:
		for b, ff := range p.fields {
			*ff.Pointer(f).(*bool) = n>>b&1 != 0
		}
		return
	}
	switch ptr := p.fields[0].Pointer(f).(type) {
	case *string:
		*ptr, _ = v.(string)
	case *calendar.Date:
		*ptr = calendar.Date(n)
	case *int:
		*ptr = int(n)
	}
}
