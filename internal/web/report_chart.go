package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// The trend chart: one bar a year, the target as a dashed line, drawn as
// inline SVG with presentation attributes only (no scripts, no inline
// styles, so the page's content security policy allows it and it works
// opened from a file). Colours are the design system's: #0065bd bars,
// #1a1a1a text and axis, #d32205 target. The table beside it carries the
// same figures for people who cannot see the chart.

const (
	chartWidth  = 560
	chartHeight = 220
	chartLeft   = 56 // room for the axis labels
	chartRight  = 60 // room for the target's label
	chartTop    = 24
	chartBottom = 36 // room for the year labels
)

// newChart draws a measure's trend.
func newChart(def *measure.Measure, points []report.Point) chartView {
	if len(points) == 0 {
		return chartView{}
	}
	top := def.Target
	for _, p := range points {
		if v, ok := p.Value.Value(); ok {
			top = math.Max(top, v)
		}
	}
	if def.Unit == "percent" {
		top = 100
	} else {
		top = niceCeiling(top * 1.1)
	}
	if top <= 0 {
		top = 1
	}
	plotW := float64(chartWidth - chartLeft - chartRight)
	plotH := float64(chartHeight - chartTop - chartBottom)
	y := func(v float64) float64 { return float64(chartTop) + plotH*(1-v/top) }
	slot := plotW / float64(len(points))
	barW := math.Min(64, slot*0.6)

	id := "trend-" + def.ID
	var b strings.Builder
	var said []string
	for _, p := range points {
		said = append(said, p.Period.String()+": "+figureWords(def, p.Value))
	}
	title := "Bar chart of " + def.Question + " by year. " + strings.Join(said, "; ") + "."
	if t := targetWords(def); t != "" {
		title += " Target: " + strings.ToLower(t[:1]) + t[1:] + "."
	}
	fmt.Fprintf(&b, `<svg class="charter-chart" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" width="%d" height="%d" focusable="false">`,
		id, chartWidth, chartHeight, chartWidth, chartHeight)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`, id, template.HTMLEscapeString(title))
	// Axis: the baseline, the top value and the middle.
	for _, v := range []float64{0, top / 2, top} {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-width="1"/>`,
			chartLeft, y(v), chartWidth-chartRight, y(v), map[bool]string{true: "#1a1a1a", false: "#b3b3b3"}[v == 0])
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" font-size="13" fill="#1a1a1a">%s</text>`,
			chartLeft-6, y(v)+4, template.HTMLEscapeString(axisLabel(def, v)))
	}
	for i, p := range points {
		cx := float64(chartLeft) + slot*(float64(i)+0.5)
		label := p.Value.String()
		if v, ok := p.Value.Value(); ok {
			h := y(0) - y(v)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#0065bd"/>`, cx-barW/2, y(v), barW, math.Max(h, 0))
			if def.Unit == "percent" {
				label += "%"
			}
		} else if p.Value.State() == disclosure.NoData {
			label = "no figure"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="13" fill="#1a1a1a">%s</text>`,
			cx, math.Min(y(valueOr0(p.Value)), y(0))-6, template.HTMLEscapeString(label))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="13" fill="#1a1a1a">%s</text>`,
			cx, chartHeight-chartBottom+20, template.HTMLEscapeString(p.Period.String()))
	}
	if def.HasTarget() && def.Target <= top {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#d32205" stroke-width="2" stroke-dasharray="6 4"/>`,
			chartLeft, y(def.Target), chartWidth-chartRight, y(def.Target))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="start" font-size="13" fill="#d32205">Target</text>`,
			chartWidth-chartRight+6, y(def.Target)+4)
	}
	b.WriteString(`</svg>`)
	return chartView{SVG: template.HTML(b.String())} // every piece of text above is escaped
}

func valueOr0(f report.Figure) float64 {
	v, _ := f.Value()
	return v
}

func axisLabel(def *measure.Measure, v float64) string {
	s := number(math.Round(v*10) / 10)
	if def.Unit == "percent" {
		return s + "%"
	}
	return s
}

// niceCeiling rounds v up to 1, 2 or 5 times a power of ten.
func niceCeiling(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
