package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

// staticFS holds our own files (charter.css, charter.js, the favicon) and,
// under dist/, what `make assets` copied from npm: the Scottish Government
// Design System's CSS, JS and icons, and the Roboto font. "all:" keeps
// files whose names start with a dot or underscore. dist/ is git-ignored;
// without it the binary still builds and serves, but pages are unstyled.
//
//go:embed all:static
var staticFS embed.FS

// distDir is the build output's folder, relative to static/.
const distDir = "dist"

// assetPrefix is where assets are served: /assets/<hash>/<name>.
const assetPrefix = "/assets/"

// hashLen is how many hex digits of the SHA-256 go into an asset URL: 48
// bits, so two versions of one file will not collide in practice.
const hashLen = 12

// Assets are the static files, each served under a URL that contains the
// hash of its content, so browsers may cache them for ever: a new version
// of a file has a new URL.
//
// Each file has its own hash (rather than one hash for the whole folder), so
// a change to our small charter.css does not make every visitor download
// the design system again. Stylesheets refer to fonts and images by
// relative url(...), which would not resolve under a different hash, so at
// start-up every relative url(...) in a stylesheet is rewritten to the
// hashed URL of the file it names, and the stylesheet is hashed after the
// rewrite: a new font gives its stylesheet a new URL too. A url(...) naming
// a file that does not exist fails the start. Scripts are loaded as separate
// <script> elements, not by relative import, so they need no rewriting.
type Assets struct {
	files    map[string]*asset // by name, relative to static/: "dist/css/design-system.min.css"
	haveDist bool
}

type asset struct {
	name        string
	hash        string
	contentType string
	body        []byte
	gzipped     []byte // nil when compressing would not help
}

// contentTypes are the types of the files we ship, so they do not depend on
// the host's MIME tables (which often lack the font types).
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".txt":   "text/plain; charset=utf-8",
	".json":  "application/json",
}

func contentType(name string) string {
	ext := path.Ext(name)
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether a type is worth compressing (fonts and
// images are compressed already, except SVG, which is text).
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || ct == "image/svg+xml" || ct == "application/json"
}

// loadAssets reads and hashes every file in fsys (the root holds what
// static/ holds).
func loadAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]*asset{}}
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	// Stylesheets last: their url(...)s need the other files' hashes.
	// (A stylesheet that url(...)s another stylesheet is not supported.)
	slices.SortFunc(names, func(x, y string) int {
		if cx, cy := path.Ext(x) == ".css", path.Ext(y) == ".css"; cx != cy {
			if cx {
				return 1
			}
			return -1
		}
		return strings.Compare(x, y)
	})
	for _, name := range names {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("static assets: %w", err)
		}
		if path.Ext(name) == ".css" {
			if body, err = a.rewriteCSS(name, body); err != nil {
				return nil, err
			}
		}
		if strings.HasPrefix(name, distDir+"/") {
			a.haveDist = true
		}
		a.add(name, body)
	}
	return a, nil
}

func (a *Assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	f := &asset{name: name, hash: hex.EncodeToString(sum[:])[:hashLen], contentType: contentType(name), body: body}
	if compressible(f.contentType) && len(body) > 512 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			f.gzipped = buf.Bytes()
		}
	}
	a.files[name] = f
}

// rewriteCSS replaces each relative url(...) in a stylesheet with the hashed
// URL of the file it names. data:, absolute and fragment-only URLs are left
// alone. Quotes are handled by hand (RE2 has no back-references), so a
// data: URL with the other kind of quote inside it survives intact.
func (a *Assets) rewriteCSS(name string, css []byte) ([]byte, error) {
	var out bytes.Buffer
	rest := css
	for {
		i := bytes.Index(rest, []byte("url("))
		if i < 0 {
			out.Write(rest)
			return out.Bytes(), nil
		}
		out.Write(rest[:i+len("url(")])
		rest = rest[i+len("url("):]
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t' || rest[j] == '\n') {
			j++
		}
		var quote byte
		if j < len(rest) && (rest[j] == '"' || rest[j] == '\'') {
			quote = rest[j]
			j++
		}
		end := j
		for end < len(rest) && ((quote != 0 && rest[end] != quote) || (quote == 0 && rest[end] != ')')) {
			end++
		}
		if end >= len(rest) {
			return nil, fmt.Errorf("static asset %s: unterminated url(", name)
		}
		ref := strings.TrimSpace(string(rest[j:end]))
		url, err := a.resolve(name, ref)
		if err != nil {
			return nil, err
		}
		out.Write(rest[:j])
		out.WriteString(url)
		rest = rest[end:]
	}
}

// resolve returns the URL a stylesheet's url(ref) should have.
func (a *Assets) resolve(css, ref string) (string, error) {
	lower := strings.ToLower(ref)
	if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "/") || strings.Contains(lower, ":") {
		return ref, nil // data:, http(s):, absolute paths, fragments: not ours to rewrite
	}
	target, frag, _ := strings.Cut(ref, "#")
	target, _, _ = strings.Cut(target, "?")
	name := path.Join(path.Dir(css), target)
	f, ok := a.files[name]
	if !ok {
		return "", fmt.Errorf("static asset %s: url(%s) names %s, which is not among the static files", css, ref, name)
	}
	if frag != "" {
		return f.url() + "#" + frag, nil
	}
	return f.url(), nil
}

func (f *asset) url() string { return assetPrefix + f.hash + "/" + f.name }

// URL returns the hashed URL of the named asset ("dist/css/design-system.min.css").
// Names under dist/ are not checked when the build output is missing (the
// warning logged at start says so): they get a URL that answers 404, so
// the pages still work, unstyled.
func (a *Assets) URL(name string) (string, error) {
	if f, ok := a.files[name]; ok {
		return f.url(), nil
	}
	if !a.haveDist && strings.HasPrefix(name, distDir+"/") {
		return assetPrefix + "unbuilt/" + name, nil
	}
	return "", fmt.Errorf("unknown asset %q: no such file in internal/web/static", name)
}

// HaveDist reports whether the design system's build output is embedded.
func (a *Assets) HaveDist() bool { return a.haveDist }

// serveAsset answers /assets/{hash}/{path...}. Only the current hash of a
// file is served: an old or mistyped one is 404, never another version.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.files[r.PathValue("path")]
	if !ok || r.PathValue("hash") != f.hash {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	body := f.body
	if f.gzipped != nil {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = f.gzipped
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		name, value, _ := strings.Cut(strings.TrimSpace(params), "=")
		if strings.TrimSpace(name) == "q" {
			q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return err == nil && q > 0
		}
		return true
	}
	return false
}
