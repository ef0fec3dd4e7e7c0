package casework

import (
	"math/rand/v2"
	"strings"

	"github.com/charter-service/charter/internal/errs"
)

// referenceAlphabet leaves out characters people confuse when reading or
// typing a reference aloud: 0/O, 1/I/L, and U (which reads as V).
const referenceAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

const (
	referencePayload = 8 // random characters; 30^8 ≈ 6.6×10^11 references
	referenceLen     = referencePayload + 1
)

// Reference is an application reference such as "7KM-4QX-9DC": eight random
// characters and a check character, shown in groups of three. The check
// character (Luhn mod N) catches every single mistyped character and almost
// every swap of neighbours, so a mistake reads as "mistyped", not "not found".
type Reference string

// NewReference draws a reference from r.
func NewReference(r *rand.Rand) Reference {
	var b [referenceLen]byte
	for i := range referencePayload {
		b[i] = referenceAlphabet[r.IntN(len(referenceAlphabet))]
	}
	b[referencePayload] = checkChar(b[:referencePayload])
	return Reference(b[:])
}

// ParseReference accepts a reference as people type it (any case, with or
// without spaces or hyphens) and returns its canonical form.
func ParseReference(s string) (Reference, error) {
	clean := make([]byte, 0, referenceLen)
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-':
			continue
		case r < 128 && strings.IndexByte(referenceAlphabet, byte(r)) >= 0:
			clean = append(clean, byte(r))
		case r == '0' || r == 'O' || r == '1' || r == 'I' || r == 'L' || r == 'U':
			return "", &errs.Error{Kind: errs.KindMistyped, Field: "reference",
				Message: "this reference looks mistyped: references never contain 0, O, 1, I, L or U; please check it against your letter"}
		default:
			return "", errs.Invalid("reference", "a reference is nine letters and numbers, like 7KM-4QX-9DC")
		}
	}
	if len(clean) != referenceLen {
		return "", errs.Invalid("reference", "a reference is nine letters and numbers, like 7KM-4QX-9DC")
	}
	if checkChar(clean[:referencePayload]) != clean[referencePayload] {
		return "", &errs.Error{Kind: errs.KindMistyped, Field: "reference",
			Message: "this reference looks mistyped: please check it against your letter"}
	}
	return Reference(clean), nil
}

// String shows the reference in groups of three: "7KM-4QX-9DC".
func (r Reference) String() string {
	s := string(r)
	if len(s) != referenceLen {
		return s
	}
	return s[0:3] + "-" + s[3:6] + "-" + s[6:9]
}

// checkChar computes the Luhn mod N check character over the payload.
func checkChar(payload []byte) byte {
	n := len(referenceAlphabet)
	factor, sum := 2, 0
	for i := len(payload) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(referenceAlphabet, payload[i])
		if factor == 2 {
			factor = 1
		} else {
			factor = 2
		}
		sum += addend/n + addend%n
	}
	return referenceAlphabet[(n-sum%n)%n]
}
