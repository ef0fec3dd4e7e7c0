package browser

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// Everything TestMain sets up once for the whole run.
var (
	// browserCtx is a context holding the one browser every test shares;
	// each test opens its own browser context (fresh cookies) in it. Nil
	// until the first test needs it, and when it could not be started.
	browserCtx context.Context
	// missing says what the tests need and do not have; empty when all is there.
	missing string
	// repoRoot is the folder holding go.mod.
	repoRoot string
	// axeSource is node_modules/axe-core/axe.min.js.
	axeSource string
	// shotDir is where the screenshots go: screenshots/ at the repository root.
	shotDir string
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	var err error
	if repoRoot, err = findRepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
		return 1
	}
	var needs []string
	if _, err := os.Stat(ChromiumPath); err != nil {
		needs = append(needs, ChromiumPath+" (run scripts/ensure-chromium, or apt-get install chromium)")
	}
	if b, err := os.ReadFile(filepath.Join(repoRoot, "node_modules", "axe-core", "axe.min.js")); err != nil {
		needs = append(needs, "node_modules/axe-core/axe.min.js (run make assets, or npm ci)")
	} else {
		axeSource = string(b)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "internal", "web", "static", "dist", "css", "design-system.min.css")); err != nil {
		needs = append(needs, "the design system built into internal/web/static/dist (run make assets)")
	}
	if len(needs) > 0 {
		missing = "the browser tests need " + strings.Join(needs, "; and ")
	}
	defer stopBrowser()
	code := m.Run()
	if testing.Verbose() {
		fmt.Print(axeSummary())
	}
	return code
}

// The browser starts with the first test that needs it, so a run that
// selects no browser test (go test -run '^$' -bench .) neither starts it
// nor clears the screenshots.
var (
	startOnce   sync.Once
	stopBrowser = func() {}
)

// startBrowser clears the old screenshots and starts Chromium with a fresh
// profile, setting browserCtx, or missing to say why it could not.
func startBrowser() {
	shotDir = filepath.Join(repoRoot, "screenshots")
	if err := os.MkdirAll(shotDir, 0o755); err != nil {
		missing = "the browser tests cannot write screenshots: " + err.Error()
		return
	}
	// Screenshots of an earlier run would mislead whoever looks at them.
	old, _ := filepath.Glob(filepath.Join(shotDir, "*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	profile, err := os.MkdirTemp("", "charter-chromium-")
	if err != nil {
		missing = "the browser tests cannot make a browser profile: " + err.Error()
		return
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(profile)...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stopBrowser = func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit
		os.RemoveAll(profile)
	}
	start := time.Now()
	// The first Do starts the browser and ties its life to ctx.
	if err := chromedp.Do(ctx); err != nil {
		missing = fmt.Sprintf("the browser tests could not start %s: %v", ChromiumPath, err)
		return
	}
	if testing.Verbose() {
		fmt.Printf("browser tests: %s started in %s; screenshots go to screenshots/\n", ChromiumPath, time.Since(start).Round(time.Millisecond))
	}
	browserCtx = ctx
}

// allocatorOptions are the flags Chromium runs with. The machine has no
// network beyond loopback, so everything that would call home is off.
func allocatorOptions(profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox, // as root, or in a container, the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-proxy-server", true), // the server under test is on loopback
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.WindowSize(1280, 900),
	)
}

// needBrowser skips the test, or in CI fails it, when the browser, axe-core
// or the built design system is missing.
func needBrowser(t *testing.T) {
	t.Helper()
	if missing == "" {
		startOnce.Do(startBrowser)
	}
	if missing == "" && browserCtx != nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI must run them", missing)
	}
	t.Skipf("skipped: %s (they never skip in CI)", missing)
}

// findRepoRoot walks up from the package folder to the one holding go.mod.
func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the repository root (no go.mod above the test's folder)")
		}
		dir = parent
	}
}
