package notify

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
)

// Letters writes each letter as a PDF into a print-queue folder, one
// folder a day, with a manifest (manifest.csv) the print room works from:
// one row a letter, with its file, pages, whether it is large print and
// the name and postcode it goes to. Writing is idempotent by the
// message's key: a retry after a crash finds the letter already there and
// makes sure it is in the manifest once.
type Letters struct {
	Dir string
	Now func() time.Time // default time.Now

	mu sync.Mutex // one manifest writer at a time in this process
}

// ManifestHeader is the manifest's first row.
var ManifestHeader = []string{"key", "reference", "file", "pages", "large_print", "name", "postcode", "written_at"}

// Send writes the letter and adds it to the day's manifest. The provider
// id it returns is the file's path inside the print-queue folder.
func (l *Letters) Send(_ context.Context, m message.Outgoing) (string, error) {
	if m.Channel != message.ChannelLetter {
		return "", message.Permanent("the print queue takes letters only", nil)
	}
	lines := strings.Split(m.Recipient, "\n")
	if len(lines) < 2 {
		return "", message.Permanent("the letter has no postal address", nil)
	}
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	day := casework.LocalDate(now()).String()
	dir := filepath.Join(l.Dir, day)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", message.Temporary("the print queue folder cannot be written", 0, err)
	}
	name := fileName(m.Key) + ".pdf"
	path := filepath.Join(dir, name)
	rel := filepath.ToSlash(filepath.Join(day, name))

	l.mu.Lock()
	defer l.mu.Unlock()
	pages, err := pdfPages(path)
	if errors.Is(err, fs.ErrNotExist) {
		var doc bytes.Buffer
		if pages, err = WriteLetterPDF(&doc, m.Ref.String(), m.Subject, m.Body, m.LargePrint); err != nil {
			return "", message.Permanent("the letter could not be laid out", err)
		}
		if err = writeFileAtomic(path, doc.Bytes()); err != nil {
			return "", message.Temporary("the letter could not be written to the print queue", 0, err)
		}
	} else if err != nil {
		return "", message.Temporary("the print queue folder cannot be read", 0, err)
	}
	row := []string{m.Key, m.Ref.String(), name, strconv.Itoa(pages), strconv.FormatBool(m.LargePrint),
		lines[0], lines[len(lines)-1], now().UTC().Format(time.RFC3339)}
	if err := ensureManifestRow(filepath.Join(dir, "manifest.csv"), row); err != nil {
		return "", message.Temporary("the print queue manifest could not be written", 0, err)
	}
	return rel, nil
}

// fileName makes a message key safe as a file name: REF/seq/kind/channel
// becomes REF_seq_kind_channel.
func fileName(key string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, key)
}

// writeFileAtomic writes data to a temporary file, syncs it and renames it
// into place, so the print room never sees half a letter.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".letter-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// ensureManifestRow appends row to the manifest unless a row with its key
// is there already, writing the header first in a new manifest.
func ensureManifestRow(path string, row []string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	existing, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("manifest %s: %w", path, err)
	}
	for _, r := range existing {
		if len(r) > 0 && r[0] == row[0] {
			return nil
		}
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if len(existing) == 0 {
		w.Write(ManifestHeader)
	}
	w.Write(row)
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Sync()
}

// pdfPages counts the pages of a letter already written, from the
// "/Type /Page" objects fpdf writes.
func pdfPages(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return bytes.Count(b, []byte("/Type /Page\n")), nil
}

// Type sizes in points: the body of an ordinary letter, and of a large
// print one (guidance for large print is 16 to 18 point).
const (
	bodySize      = 12.0
	largePrintPts = 18.0
)

// WriteLetterPDF lays out a letter's text (the markup message.Templates
// produces: "# " title, "## " and "### " headings, "- " bullets, a blank
// line between paragraphs, "===" for a new page) as an A4 PDF, and
// returns the number of pages. Every page names the reference and its
// number, so pages that come apart can be put back together.
func WriteLetterPDF(w io.Writer, ref, subject, body string, largePrint bool) (int, error) {
	size := bodySize
	if largePrint {
		size = largePrintPts
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(subject, true)
	pdf.SetAuthor("Charter", true)
	pdf.SetMargins(25, 20, 25)
	pdf.SetAutoPageBreak(true, 25)
	pdf.AliasNbPages("{nb}")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: the core fonts' encoding
	pdf.SetFooterFunc(func() {
		pdf.SetY(-18)
		pdf.SetFont("Helvetica", "", size*0.75)
		pdf.CellFormat(0, 6, tr(fmt.Sprintf("Reference %s  -  page %d of {nb}", ref, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	lineH := size * 0.5
	write := func(style string, pts float64, text string, indent float64) {
		pdf.SetFont("Helvetica", style, pts)
		pdf.SetX(25 + indent)
		pdf.MultiCell(0, pts*0.5, tr(text), "", "L", false)
	}
	for _, line := range strings.Split(body, "\n") {
		switch {
		case strings.TrimSpace(line) == "===":
			pdf.AddPage()
		case strings.TrimSpace(line) == "":
			pdf.Ln(lineH * 0.6)
		case strings.HasPrefix(line, "# "):
			pdf.Ln(lineH * 0.4)
			write("B", size+6, strings.TrimPrefix(line, "# "), 0)
			pdf.Ln(lineH * 0.3)
		case strings.HasPrefix(line, "## "):
			pdf.Ln(lineH * 0.4)
			write("B", size+2, strings.TrimPrefix(line, "## "), 0)
		case strings.HasPrefix(line, "### "):
			write("B", size, strings.TrimPrefix(line, "### "), 0)
		case strings.HasPrefix(line, "- "):
			pdf.SetFont("Helvetica", "", size)
			pdf.SetX(25)
			pdf.CellFormat(6, lineH, tr("-"), "", 0, "L", false, 0, "")
			pdf.MultiCell(0, lineH, tr(strings.TrimPrefix(line, "- ")), "", "L", false)
		default:
			write("", size, line, 0)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return 0, err
	}
	pages := pdf.PageNo()
	_, err := w.Write(buf.Bytes())
	return pages, err
}
