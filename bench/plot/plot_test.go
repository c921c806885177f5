package plot

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
)

func TestWritePNG(t *testing.T) {
	c := Chart{
		Title: "p99", XLabel: "sessions", YLabel: "ms",
		Series: []Series{
			{Name: "a", Points: []Point{{1, 0.5}, {10, 2}, {100, 40}}},
			{Name: "b", Points: []Point{{1, 0}, {10, 3}}}, // a zero cannot be drawn on a log scale
		},
	}
	var buf bytes.Buffer
	if err := c.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("WritePNG wrote something that is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Errorf("the PNG is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
}

func TestWritePNGWithoutPoints(t *testing.T) {
	c := Chart{Series: []Series{{Name: "empty"}, {Name: "zeros", Points: []Point{{1, 0}}}}}
	err := c.WritePNG(&bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "no points") {
		t.Errorf("WritePNG of a chart without drawable points = %v, want an error saying so", err)
	}
}

func TestMillisecondTicks(t *testing.T) {
	var labels []string
	for _, tk := range (msTicks{}).Ticks(0.5, 200) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	got := strings.Join(labels, ",")
	if !strings.HasPrefix(got, "1 ms,10 ms,100 ms") {
		t.Errorf("labelled ticks = %s, want the powers of ten in ms from 1 ms", got)
	}
}
