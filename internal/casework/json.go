package casework

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// decodeJSON decodes one JSON value into v and turns decoder errors into
// errors that name the field a person got wrong.
func decodeJSON(data []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return JSONError("body", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.Invalid("body", "there is more than one JSON value in the body")
	}
	return nil
}

// JSONError explains a JSON decoding error in terms of the field at fault,
// with prefix naming where the JSON came from ("body").
func JSONError(prefix string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var moment *time.ParseError
	switch {
	case errors.As(err, &syn):
		return &errs.Error{Kind: errs.KindInvalid, Field: prefix, Err: err,
			Message: "the JSON is malformed near character " + strconv.FormatInt(syn.Offset, 10)}
	case errors.As(err, &typ):
		field := prefix
		if typ.Field != "" {
			field = prefix + "." + typ.Field
		}
		if typ.Type.Name() == "Date" {
			return &errs.Error{Kind: errs.KindInvalid, Field: field, Err: err,
				Message: "should be a real date written as YYYY-MM-DD, such as 2026-03-02"}
		}
		return &errs.Error{Kind: errs.KindInvalid, Field: field, Err: err,
			Message: "should be " + article(typ.Type.String()) + ", not " + typ.Value}
	case errors.As(err, &moment):
		// time.Time reports no field: say which kind of value is wrong.
		return &errs.Error{Kind: errs.KindInvalid, Field: prefix, Err: err,
			Message: "a time should be written as in 2026-03-09T10:30:00Z (RFC 3339), not " + strconv.Quote(moment.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &errs.Error{Kind: errs.KindInvalid, Field: prefix, Err: err, Message: "the JSON ends too early"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &errs.Error{Kind: errs.KindInvalid, Field: prefix + "." + name, Err: err,
			Message: "is not a field we know; check the spelling"}
	}
	if e, ok := errs.As(err); ok {
		return e
	}
	return &errs.Error{Kind: errs.KindInvalid, Field: prefix, Err: err, Message: "could not be read: " + err.Error()}
}

func article(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map"), strings.HasPrefix(goType, "struct"), strings.Contains(goType, "."):
		return "an object or text in the documented form"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "text"
	}
	return "a " + goType
}
