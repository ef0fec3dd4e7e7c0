package web

import (
	"encoding/csv"
	"io"
	"net/http"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// The published charter report (the measurement framework): anyone can
// read it, as a page, an easy-read summary, a spreadsheet and JSON.

func (s *Server) registerReportPages() {
	s.handle("GET", "/report", s.reportYearsPage)
	s.handle("GET", "/report/{period}", s.reportPage)
	s.handle("GET", "/report/{period}/easy-read", s.easyReadPage)
	s.handle("GET", "/report/{period}/measures.csv", s.reportCSV)
	s.handle("GET", "/api/v1/reports", s.listReports)
	s.handle("GET", "/api/v1/reports/{period}", s.getReport)
}

// reportPath is where a year's report is on the site.
func reportPath(p measure.Period) string { return "/report/" + p.String() }

func siteLinks(p measure.Period) reportLinks {
	return reportLinks{Full: reportPath(p), EasyRead: reportPath(p) + "/easy-read", CSV: reportPath(p) + "/measures.csv",
		JSON: "/api/v1/reports/" + p.String(), Years: "/report"}
}

func reportTitle(p measure.Period) string { return "How we did in " + p.String() }

func (s *Server) reportYearsPage(w http.ResponseWriter, r *http.Request) {
	years, err := s.svc.ReportYears(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := reportYearView{Chrome: s.chrome(r, "How we are doing: our charter reports")}
	for i := len(years) - 1; i >= 0; i-- { // newest first
		y := years[i]
		v.Years = append(v.Years, reportYear{Period: y.String(), Long: y.Long(), URL: reportPath(y), SoFar: i == len(years)-1 && !y.Last().Before(s.svc.Today())})
	}
	s.render(w, r, http.StatusOK, "report-years", v)
}

// report reads the year in the path and returns its report.
func (s *Server) report(r *http.Request) (*app.Report, error) {
	year, err := s.svc.CheckReportYear(r.PathValue("period"))
	if err != nil {
		return nil, err
	}
	return s.svc.Report(r.Context(), year)
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	rep, err := s.report(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := newReportView(rep, siteLinks(rep.Year))
	v.Chrome = s.chrome(r, reportTitle(rep.Year))
	s.render(w, r, http.StatusOK, "report", v)
}

func (s *Server) easyReadPage(w http.ResponseWriter, r *http.Request) {
	rep, err := s.report(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := newEasyReadView(rep, siteLinks(rep.Year))
	v.Chrome = s.chrome(r, reportTitle(rep.Year)+": easy read")
	s.render(w, r, http.StatusOK, "report-easy-read", v)
}

func (s *Server) reportCSV(w http.ResponseWriter, r *http.Request) {
	rep, err := s.report(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="charter-report-`+rep.Year.String()+`-measures.csv"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := writeTidyCSV(w, rep); err != nil {
		s.log.Error("write measures.csv", "request_id", requestID(r.Context()), "error", err)
	}
}

// writeTidyCSV writes measures.csv: one row per measure, breakdown value
// and period, every figure as disclosure control released it.
func writeTidyCSV(w io.Writer, rep *app.Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(report.TidyHeader); err != nil {
		return err
	}
	for _, row := range report.TidyRows(rep.Report) {
		if err := cw.Write(row.Record()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// reportListJSON lists the years with a report.
type reportListJSON struct {
	Reports []reportYearJSON `json:"reports"`
}

type reportYearJSON struct {
	Period   string `json:"period"`
	Long     string `json:"period_long"`
	Complete bool   `json:"complete"`
	Page     string `json:"page"`
	Data     string `json:"data"`
}

func (s *Server) listReports(w http.ResponseWriter, r *http.Request) {
	years, err := s.svc.ReportYears(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := reportListJSON{Reports: []reportYearJSON{}}
	for i := len(years) - 1; i >= 0; i-- {
		y := years[i]
		out.Reports = append(out.Reports, reportYearJSON{Period: y.String(), Long: y.Long(), Complete: y.Last().Before(s.svc.Today()),
			Page: reportPath(y), Data: "/api/v1/reports/" + y.String()})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.report(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newReportJSON(rep))
}
