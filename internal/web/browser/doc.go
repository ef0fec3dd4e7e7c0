// Package browser holds Charter's end-to-end tests: they serve the real
// pages from an in-process server and drive them in headless Chromium
// (Debian's chromium package) through the DevTools protocol.
//
// The tests sign in as a client and as a caseworker, fill in and submit the
// forms, check the design system's error summary, run axe-core on every
// page and every form error they reach, and write a full-page screenshot of
// each to screenshots/ at the root of the repository (git-ignored) for a
// person to look at.
//
// They need three things: /usr/bin/chromium (scripts/ensure-chromium
// installs it), axe-core in node_modules and the design system built into
// internal/web/static/dist (make assets does both). Without them the tests
// skip with a message saying what is missing; when the environment variable
// CI is set they fail instead, so CI never passes without running them.
// make test runs scripts/ensure-chromium and make assets first.
package browser
