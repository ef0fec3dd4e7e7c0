package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"

	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
)

// Staff roles.
const (
	RoleCaseworker = "caseworker"
	RoleManager    = "manager"
	RoleAdmin      = "admin"
)

// ValidRole reports whether role is a staff role.
func ValidRole(role string) bool {
	return role == RoleCaseworker || role == RoleManager || role == RoleAdmin
}

// Principal is who is making a request.
type Principal struct {
	TokenID string
	Name    string
	Role    string
}

const tokenPrefix = "chr_"

// CreateToken makes an API token and returns its secret, which is shown
// once and never stored: only its hash is.
func (s *Service) CreateToken(ctx context.Context, role, name string) (secret string, id string, err error) {
	if !ValidRole(role) {
		return "", "", errs.Invalid("role", "choose caseworker, manager or admin")
	}
	if strings.TrimSpace(name) == "" {
		return "", "", errs.Invalid("name", "give the token a name that says who or what uses it")
	}
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	secret = tokenPrefix + strings.ToLower(enc.EncodeToString(randomBytes(20)))
	id = strings.ToLower(enc.EncodeToString(randomBytes(5)))
	err = s.store.CreateToken(ctx, store.Token{ID: id, Name: name, Role: role, Hash: hashToken(secret), CreatedAt: s.now()})
	return secret, id, err
}

// Authenticate checks a bearer token.
func (s *Service) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return Principal{}, errs.New(errs.KindUnauthorized, "", "the token is not valid")
	}
	t, err := s.store.TokenByHash(ctx, hashToken(secret))
	if err != nil {
		return Principal{}, err
	}
	return Principal{TokenID: t.ID, Name: t.Name, Role: t.Role}, nil
}

// RevokeToken revokes a token by id or name.
func (s *Service) RevokeToken(ctx context.Context, idOrName string) (int, error) {
	return s.store.RevokeToken(ctx, idOrName)
}

// Tokens are high-entropy random strings, so a plain SHA-256 is enough to
// keep them safe at rest; a slow password hash would only slow every request.
func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return b
}
