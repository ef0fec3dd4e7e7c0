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
// makes the weighted sum of all nine values (weights 1 to 9) a multiple of
// the prime 31. Because 31 is prime and larger than any difference between
// two values, every single mistyped character and every swap of two
// neighbours changes that sum, so a mistake reads as "mistyped", never as
// someone else's reference.
type Reference string

// NewReference draws a reference from r.
func NewReference(r *rand.Rand) Reference {
	var b [referenceLen]byte
	for {
		for i := range referencePayload {
			b[i] = referenceAlphabet[r.IntN(len(referenceAlphabet))]
		}
		// One payload in 31 needs the check value 30, which has no
		// character: draw again.
		if c, ok := checkChar(b[:referencePayload]); ok {
			b[referencePayload] = c
			return Reference(b[:])
		}
	}
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
	if c, ok := checkChar(clean[:referencePayload]); !ok || c != clean[referencePayload] {
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

const checkModulus = 31

// checkChar returns the character that makes the weighted sum of the
// reference a multiple of 31, and false if that would be the value 30.
func checkChar(payload []byte) (byte, bool) {
	sum := 0
	for i, c := range payload {
		sum += (i + 1) * strings.IndexByte(referenceAlphabet, c)
	}
	// The check character has weight 9, and 7 is the inverse of 9 mod 31.
	v := ((checkModulus - sum%checkModulus) * 7) % checkModulus
	if v >= len(referenceAlphabet) {
		return 0, false
	}
	return referenceAlphabet[v], true
}

// MarshalText writes the reference as people see it: "7KM-4QX-9DC".
func (r Reference) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a reference in any form ParseReference accepts.
func (r *Reference) UnmarshalText(b []byte) error {
	v, err := ParseReference(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// ReferenceSplits returns n-1 references, in order, that split the space
// of references into n parts holding about as many each (references are
// drawn uniformly), for reading applications in parts at once. The part i
// is from splits[i-1] (or the start) up to, not including, splits[i] (or
// the end).
func ReferenceSplits(n int) []Reference {
	var out []Reference
	a := len(referenceAlphabet)
	for i := 1; i < n; i++ {
		// The i/n point of the first two characters' space.
		at := i * a * a / n
		out = append(out, Reference([]byte{referenceAlphabet[at/a], referenceAlphabet[at%a]}))
	}
	return out
}
