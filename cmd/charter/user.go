package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/charter-service/charter/internal/casework"
)

// cmdUser adds a member of staff. The password is read from standard input
// (one line), or asked for without echo when standard input is a terminal,
// so it never appears in the process list or shell history.
func cmdUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(e.stderr, "usage: charter user add --email EMAIL --role caseworker|manager|admin  (password on stdin)")
		return exitUsage
	}
	var email, role string
	cfg, _, err := flags("user add", e, args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the member of staff's email address")
		fs.StringVar(&role, "role", "", "caseworker, manager or admin")
	})
	if err != nil {
		return err
	}
	password, err := readPassword(e)
	if err != nil {
		return err
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	if err := svc.AddStaffUser(ctx, email, role, password); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added %s as %s.\n", email, role)
	return nil
}

func readPassword(e env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("give the password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// cmdAudit lists who looked at or changed a case.
func cmdAudit(ctx context.Context, e env, args []string) error {
	var reference string
	cfg, _, err := flags("audit", e, args, func(fs *flag.FlagSet) {
		fs.StringVar(&reference, "case", "", "the application reference")
	})
	if err != nil {
		return err
	}
	ref, err := casework.ParseReference(reference)
	if err != nil {
		return err
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	entries, err := svc.AuditFor(ctx, ref)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tWHO\tKIND\tWHAT")
	for _, a := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.At.In(casework.Zone).Format("2006-01-02 15:04:05"), a.ActorName, a.ActorKind, a.Action)
	}
	if len(entries) == 0 {
		fmt.Fprintf(tw, "Nobody has looked at %s yet.\n", ref)
	}
	return tw.Flush()
}
