package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/web"
)

// cmdImport imports data from files: "charter import survey FILE.csv
// --period P" imports survey responses, all or nothing.
func cmdImport(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "survey" {
		fmt.Fprintln(e.stderr, "usage: charter import survey FILE.csv --period PERIOD")
		return exitUsage
	}
	var periodText string
	cfg, fs, err := flags("import survey", e, args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&periodText, "period", "", "the financial year or quarter the survey is for, such as 2025-26 or 2025-26 Q3")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: charter import survey FILE.csv --period PERIOD (flags go before the file)")
		return exitUsage
	}
	if periodText == "" {
		fmt.Fprintln(e.stderr, "charter import survey: --period is needed: the financial year or quarter the survey is for, such as 2025-26 or 2025-26 Q3")
		return exitUsage
	}
	period, err := measure.ParsePeriod(periodText)
	if err != nil {
		fmt.Fprintf(e.stderr, "charter import survey: --period: %v\n", err)
		return exitUsage
	}
	name := fs.Arg(0)
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	n, err := svc.ImportSurvey(ctx, period, name, data)
	var probs measure.SurveyProblems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintf(e.stdout, "%s: %s\n", name, p)
		}
		fmt.Fprintln(e.stdout, "Nothing was imported.")
		return errProblems
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Imported %d survey responses for %s from %s.\n", n, period, name)
	return nil
}

// cmdReport writes a financial year's charter report into a folder.
func cmdReport(ctx context.Context, e env, args []string) error {
	var periodText, out string
	cfg, fs, err := flags("report", e, args, func(fs *flag.FlagSet) {
		fs.StringVar(&periodText, "period", "", "the financial year to report on, such as 2025-26")
		fs.StringVar(&out, "out", "", "the folder to write the report into (made if it does not exist)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 0 || periodText == "" || out == "" {
		fmt.Fprintln(e.stderr, "usage: charter report --period 2025-26 --out DIR")
		return exitUsage
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	year, err := svc.CheckReportYear(periodText)
	if err != nil {
		return err
	}
	rep, err := svc.Report(ctx, year)
	if err != nil {
		return err
	}
	if err := web.WriteReportFiles(out, rep); err != nil {
		return err
	}
	missed := 0
	for _, m := range rep.Measures {
		if m.Status.Missed() {
			missed++
		}
	}
	fmt.Fprintf(e.stdout, "Wrote the charter report for %s (events up to %s) into %s: %s.\n", rep.Year, rep.AsOf.Long(), out,
		strings.Join(web.ReportFiles, ", "))
	fmt.Fprintf(e.stdout, "%d measures; %d not met, %d of them without an improvement action.\n", len(rep.Measures), missed, len(rep.WithoutAction))
	return nil
}
