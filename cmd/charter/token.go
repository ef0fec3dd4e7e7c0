package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
)

const tokenUsage = `usage:
  charter token create --role caseworker|manager|admin --name NAME
  charter token revoke ID|NAME
  charter token list`

func cmdToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, tokenUsage)
		return exitUsage
	}
	var role, name string
	cfg, fs, err := flags("token "+args[0], e, args[1:], func(fs *flag.FlagSet) {
		if args[0] == "create" {
			fs.StringVar(&role, "role", "", "caseworker, manager or admin")
			fs.StringVar(&name, "name", "", "who or what uses the token")
		}
	})
	if err != nil {
		return err
	}
	switch args[0] {
	case "create", "revoke", "list":
	default:
		fmt.Fprintln(e.stderr, tokenUsage)
		return exitUsage
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	switch args[0] {
	case "create":
		secret, _, err := svc.CreateToken(ctx, role, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, secret) // alone on stdout, so scripts can capture it
		return nil
	case "revoke":
		if fs.NArg() != 1 {
			fmt.Fprintln(e.stderr, tokenUsage)
			return exitUsage
		}
		n, err := svc.RevokeToken(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Revoked %d token(s).\n", n)
		return nil
	}
	tokens, err := svc.Store().Tokens(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tCREATED\tREVOKED")
	for _, t := range tokens {
		revoked := "-"
		if !t.RevokedAt.IsZero() {
			revoked = t.RevokedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.CreatedAt.Format("2006-01-02 15:04"), revoked)
	}
	return tw.Flush()
}
