package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/charter-service/charter/internal/app"
)

// ReportFiles are the files WriteReportFiles writes, in order.
var ReportFiles = []string{"index.html", "easy-read.html", "measures.csv", "report.json"}

// fileAssetsDir is where the written report's stylesheets, fonts and
// icons go, beside index.html.
const fileAssetsDir = "assets"

// WriteReportFiles writes a year's report into dir (made if need be) as
// files a person can open from the folder, offline: index.html and
// easy-read.html, rendered by the same templates as the pages at
// /report/{period}; measures.csv; report.json; and under assets/ the
// design system's stylesheet, fonts and icons they use (no scripts: the
// pages work without them). Files already there are replaced.
func WriteReportFiles(dir string, rep *app.Report) error {
	pages, err := parseFilePages()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report folder: %w", err)
	}
	links := reportLinks{Full: "index.html", EasyRead: "easy-read.html", CSV: "measures.csv", JSON: "report.json"}
	chrome := func(title string) Chrome { return Chrome{ServiceName: ServiceName, Title: title} }

	rv := newReportView(rep, links)
	rv.Chrome = chrome(reportTitle(rep.Year))
	ev := newEasyReadView(rep, links)
	ev.Chrome = chrome(reportTitle(rep.Year) + ": easy read")
	var files [4]bytes.Buffer
	if err := pages["report"].ExecuteTemplate(&files[0], "file-layout", rv); err != nil {
		return fmt.Errorf("index.html: %w", err)
	}
	if err := pages["report-easy-read"].ExecuteTemplate(&files[1], "file-layout", ev); err != nil {
		return fmt.Errorf("easy-read.html: %w", err)
	}
	if err := writeTidyCSV(&files[2], rep); err != nil {
		return fmt.Errorf("measures.csv: %w", err)
	}
	enc := json.NewEncoder(&files[3])
	enc.SetIndent("", "  ")
	if err := enc.Encode(newReportJSON(rep)); err != nil {
		return fmt.Errorf("report.json: %w", err)
	}
	for i, name := range ReportFiles {
		if err := os.WriteFile(filepath.Join(dir, name), files[i].Bytes(), 0o644); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return copyFileAssets(filepath.Join(dir, fileAssetsDir))
}

// fileAsset is a static file's address relative to a written report. It
// fails for a file that does not exist, as the site's asset URLs do.
func fileAsset(name string) (string, error) {
	if _, err := fs.Stat(staticFS, path.Join("static", name)); err != nil {
		if strings.HasPrefix(name, distDir+"/") {
			return "", fmt.Errorf("asset %q is not built: run make assets", name)
		}
		return "", fmt.Errorf("there is no asset %q", name)
	}
	return fileAssetsDir + "/" + name, nil
}

// parseFilePages parses the report's pages in the frame for files.
func parseFilePages() (pageSet, error) {
	templates, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	base, err := template.New("file").Funcs(funcsWith(fileAsset, nil)).ParseFS(templates, "files/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("report templates: %w", err)
	}
	pages := pageSet{}
	for _, name := range []string{"report", "report-easy-read"} {
		t, err := template.Must(base.Clone()).ParseFS(templates, "pages/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("report templates: %w", err)
		}
		pages[name] = t
	}
	return pages, nil
}

// copyFileAssets copies the static files a written report uses (every one
// but the scripts) into dir, keeping their relative paths, so that the
// stylesheets' relative links to fonts still work.
func copyFileAssets(dir string) error {
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return err
	}
	if _, err := fs.Stat(static, distDir); err != nil {
		return errors.New("the design system's assets are not built into this binary: run make assets and build it again")
	}
	return fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := path.Ext(name); ext == ".js" || ext == ".mjs" {
			return nil
		}
		body, err := fs.ReadFile(static, name)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, body, 0o644)
	})
}
