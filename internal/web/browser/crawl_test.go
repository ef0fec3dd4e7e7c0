package browser

import (
	"net/http"
	"net/url"
	"strings"
)

// crawl checks every page reachable from start by following links, as the
// person signed in to the tab (if anyone) would: each page gets axe-core, a
// screenshot and a look at the browser's console, and a link to a page
// that is not there fails the test. A page this tab has checked already is
// not checked again, but its links are followed. Addresses are compared
// without their query and fragment, so a list with filters is crawled
// once. Links are followed only to paths that start with within ("/" for
// all). It returns the paths crawled, and stops after limit pages.
func (b *tab) crawl(limit int, within string, start ...string) map[string]bool {
	b.t.Helper()
	checked := map[string]bool{}
	queued := map[string]string{} // path → the page that links to it
	queue := []string{}
	add := func(path, from string) {
		if _, ok := queued[path]; ok || !crawlable(path) {
			return
		}
		queued[path] = from
		queue = append(queue, path)
	}
	for _, p := range start {
		add(p, "")
	}
	for len(queue) > 0 && len(checked) < limit {
		p := queue[0]
		queue = queue[1:]
		status := b.visit(p)
		landed := b.path()
		if status == http.StatusNotFound {
			if from := queued[p]; from != "" {
				b.t.Errorf("%s links to %s, which is not there (404)", from, p)
			} else {
				b.t.Errorf("%s is not there (404)", p)
			}
		}
		if checked[landed] {
			continue // a redirect to a page already crawled
		}
		checked[landed] = true
		if !b.checked[landed] { // the test may have checked it before the crawl
			label := strings.Trim(landed, "/")
			if label == "" {
				label = "home"
			}
			b.check(label)
		}
		for _, link := range eval[[]string](b, `Array.from(document.querySelectorAll('a[href]'), a => a.href)`) {
			u, err := url.Parse(link)
			if err != nil || u.Scheme+"://"+u.Host != b.site.URL {
				continue // another site, mailto: or tel:
			}
			if strings.HasPrefix(u.Path, within) {
				add(u.Path, landed)
			}
		}
	}
	if len(queue) > 0 {
		b.t.Errorf("stopped after %d pages with %d still to check: raise the limit", limit, len(queue))
	}
	return checked
}

// crawlable reports whether a path is a page a person reads: not an asset,
// the API or the machine endpoints.
func crawlable(path string) bool {
	for _, prefix := range []string{"/assets/", "/api/"} {
		if strings.HasPrefix(path, prefix) {
			return false
		}
	}
	// Downloads (CSV exports, measures.csv) are files, not pages.
	return path != "/metrics" && path != "/healthz" && !strings.HasSuffix(path, ".csv")
}
