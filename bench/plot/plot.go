// Package plot draws the benchmark's one chart, p99 added latency against
// concurrent sessions, as a PNG, with gonum.org/v1/plot.
package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Point is one measurement.
type Point struct{ X, Y float64 }

// Series is one line of the chart.
type Series struct {
	Name   string
	Points []Point
}

// Chart is a line chart with a logarithmic y axis, in milliseconds.
type Chart struct {
	Title, XLabel, YLabel string
	Series                []Series
}

// palette gives each series its colour, in order.
var palette = []color.RGBA{
	{0xd6, 0x27, 0x28, 0xff}, {0x1f, 0x77, 0xb4, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xff, 0x7f, 0x0e, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
}

// width and height are the size of the PNG, in pixels at vgimg's default
// 96 dpi.
const width, height = 900, 560

// WritePNG draws the chart to w. Points with Y <= 0, which a log scale
// cannot show, are left out; a chart with no point left is an error.
func (c *Chart) WritePNG(w io.Writer) error {
	p := gonum.New()
	p.Title.Text = c.Title
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.X.Min = 0
	p.Y.Scale = gonum.LogScale{}
	p.Y.Tick.Marker = msTicks{}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.Left = true

	drawn := 0
	for i, s := range c.Series {
		var xys plotter.XYs
		for _, pt := range s.Points {
			if pt.Y > 0 {
				xys = append(xys, plotter.XY{X: pt.X, Y: pt.Y})
			}
		}
		if len(xys) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return fmt.Errorf("plot: series %q: %w", s.Name, err)
		}
		col := palette[i%len(palette)]
		line.Color = col
		line.Width = vg.Points(1.5)
		points.Color = col
		points.Shape = draw.CircleGlyph{}
		p.Add(line, points)
		p.Legend.Add(s.Name, line, points)
		drawn++
	}
	if drawn == 0 {
		return errors.New("plot: no points to draw")
	}
	canvas := vgimg.PngCanvas{Canvas: vgimg.New(width*vg.Inch/96, height*vg.Inch/96)}
	p.Draw(draw.New(canvas))
	_, err := canvas.WriteTo(w)
	return err
}

// msTicks puts a labelled tick at each power of ten ("1 ms", "10 ms", ...)
// and unlabelled ones between, like gonum's LogTicks but with the unit.
type msTicks struct{}

// Ticks returns the ticks between lo and hi.
func (msTicks) Ticks(lo, hi float64) []gonum.Tick {
	ticks := gonum.LogTicks{Prec: -1}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label += " ms"
		}
	}
	return ticks
}
