package calendar

import (
	"encoding/json"
	"reflect"
)

// UnmarshalJSON reads a date written as "2006-01-02". A bad date is
// reported as a type error, so that encoding/json names the field it was in
// (it adds no context to other errors).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[Date]()}
	}
	v, err := ParseDate(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "date " + s, Type: reflect.TypeFor[Date]()}
	}
	*d = v
	return nil
}
