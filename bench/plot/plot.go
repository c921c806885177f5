// Package plot draws the benchmark's one chart, p99 added latency against
// concurrent sessions, as a PNG with no dependency beyond x/image's fixed
// font.
package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Point is one measurement.
type Point struct{ X, Y float64 }

// Series is one line of the chart.
type Series struct {
	Name   string
	Points []Point
}

// Chart is a line chart with a logarithmic y axis.
type Chart struct {
	Title, XLabel, YLabel string
	Series                []Series
}

var palette = []color.RGBA{
	{0xd6, 0x27, 0x28, 0xff}, {0x1f, 0x77, 0xb4, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xff, 0x7f, 0x0e, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
}

const (
	width, height          = 900, 560
	left, right, top, bott = 80, 190, 50, 60
)

// WritePNG draws the chart to w.
func (c *Chart) WritePNG(w io.Writer) error {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	xmax, ymin, ymax := 0.0, math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			xmax = math.Max(xmax, p.X)
			if p.Y > 0 {
				ymin, ymax = math.Min(ymin, p.Y), math.Max(ymax, p.Y)
			}
		}
	}
	if xmax == 0 || math.IsInf(ymin, 0) {
		return fmt.Errorf("plot: no points to draw")
	}
	lo, hi := math.Floor(math.Log10(ymin)), math.Ceil(math.Log10(ymax))
	if hi == lo {
		hi++
	}
	pw, ph := float64(width-left-right), float64(height-top-bott)
	px := func(x float64) int { return left + int(x/xmax*pw) }
	py := func(y float64) int { return height - bott - int((math.Log10(y)-lo)/(hi-lo)*ph) }

	grey := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	black := color.RGBA{0, 0, 0, 0xff}
	for e := lo; e <= hi; e++ {
		y := py(math.Pow(10, e))
		hline(img, left, width-right, y, grey)
		text(img, 8, y+4, fmt.Sprintf("%g ms", math.Pow(10, e)), black)
	}
	for i := 0; i <= 4; i++ {
		x := xmax * float64(i) / 4
		vline(img, px(x), top, height-bott, grey)
		text(img, px(x)-10, height-bott+18, fmt.Sprintf("%.0f", x), black)
	}
	hline(img, left, width-right, height-bott, black)
	vline(img, left, top, height-bott, black)
	text(img, left, 25, c.Title, black)
	text(img, left+int(pw/2)-60, height-15, c.XLabel, black)
	text(img, 8, top-12, c.YLabel, black)

	for i, s := range c.Series {
		col := palette[i%len(palette)]
		var prev *Point
		for j := range s.Points {
			p := s.Points[j]
			if p.Y <= 0 {
				continue
			}
			dot(img, px(p.X), py(p.Y), col)
			if prev != nil {
				line(img, px(prev.X), py(prev.Y), px(p.X), py(p.Y), col)
			}
			prev = &s.Points[j]
		}
		ly := top + 20 + 22*i
		for d := 0; d < 20; d++ {
			dot(img, width-right+15+d, ly-4, col)
		}
		text(img, width-right+42, ly, s.Name, black)
	}
	return png.Encode(w, img)
}

func hline(img *image.RGBA, x0, x1, y int, c color.Color) {
	for x := x0; x <= x1; x++ {
		img.Set(x, y, c)
	}
}

func vline(img *image.RGBA, x, y0, y1 int, c color.Color) {
	for y := y0; y <= y1; y++ {
		img.Set(x, y, c)
	}
}

func dot(img *image.RGBA, x, y int, c color.Color) {
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 1; dy++ {
			img.Set(x+dx, y+dy, c)
		}
	}
}

func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	n := max(abs(x1-x0), abs(y1-y0), 1)
	for i := 0; i <= n; i++ {
		x := x0 + (x1-x0)*i/n
		y := y0 + (y1-y0)*i/n
		img.Set(x, y, c)
		img.Set(x, y+1, c)
	}
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

func text(img *image.RGBA, x, y int, s string, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
