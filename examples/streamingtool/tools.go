package main

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"iter"
	"math"
	"math/rand/v2"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/tool"
)

// newPriceMonitor returns monitor_stock_price: each tick it moves the
// symbol's simulated price and yields it, until it is stopped.
func newPriceMonitor(tick time.Duration) (tool.StreamingTool, error) {
	return tool.NewStreaming(tool.StreamingConfig{
		Name:        simulator.PriceMonitorToolName,
		Description: "Monitors the price of a stock and reports each new price until stopped with stop_streaming.",
		Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{
			"symbol": {Type: genai.TypeString, Description: "The stock's ticker symbol, for example GOOG."},
		}, Required: []string{"symbol"}},
	}, func(ctx tool.Context, args map[string]any, _ *tool.InputStream) iter.Seq2[map[string]any, error] {
		return func(yield func(map[string]any, error) bool) {
			symbol, _ := args["symbol"].(string)
			if symbol == "" {
				yield(nil, fmt.Errorf("symbol is missing"))
				return
			}
			feed := newFeed(symbol)
			ticker := time.NewTicker(tick)
			defer ticker.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-ticker.C:
				}
				price, change := feed.next()
				msg := fmt.Sprintf("%s is at %.2f (%+.2f%%)", symbol, price, change)
				if !yield(map[string]any{"message": msg, "symbol": symbol, "price": price, "change_percent": change}, nil) {
					return
				}
			}
		}
	})
}

// feed is a simulated price: a random walk seeded by the symbol, so a
// symbol always tells the same story.
type feed struct {
	rng   *rand.Rand
	price float64
}

func newFeed(symbol string) *feed {
	h := fnv.New64a()
	h.Write([]byte(symbol))
	seed := h.Sum64()
	return &feed{rng: rand.New(rand.NewPCG(seed, seed>>1)), price: 50 + float64(seed%200)}
}

// next moves the price by up to 2% and returns it and the change in
// percent, both rounded to cents.
func (f *feed) next() (price, changePercent float64) {
	change := (f.rng.Float64()*4 - 2) / 100
	f.price *= 1 + change
	return math.Round(f.price*100) / 100, math.Round(change*10000) / 100
}

// newVideoMonitor returns monitor_video_stream: it reads the frames of
// its input stream and yields a report when the scene's brightness
// changes by more than a quarter, and one for the first frame.
func newVideoMonitor() (tool.StreamingTool, error) {
	return tool.NewStreaming(tool.StreamingConfig{
		Name:        simulator.VideoMonitorToolName,
		Description: "Watches the user's camera and reports when the scene gets brighter or darker, until stopped with stop_streaming.",
		Input:       true,
		// A few frames are plenty: a monitor wants the latest, and the
		// runtime drops (and counts) what does not fit.
		InputBuffer: 4,
	}, func(ctx tool.Context, _ map[string]any, in *tool.InputStream) iter.Seq2[map[string]any, error] {
		return func(yield func(map[string]any, error) bool) {
			last := -1.0
			for {
				var frame []byte
				select {
				case <-ctx.Done():
					return
				case req, ok := <-in.Requests():
					if !ok {
						return
					}
					if req.Blob == nil || req.Blob.MIMEType != "image/jpeg" {
						continue // audio and text go to the monitor too; it watches frames
					}
					frame = req.Blob.Data
				}
				level, err := brightness(frame)
				if err != nil {
					continue // not a frame it can read
				}
				var msg string
				switch {
				case last < 0:
					msg = fmt.Sprintf("watching; the scene is at %.0f%% brightness", level*100)
				case level-last > 0.25:
					msg = fmt.Sprintf("the scene got brighter (%.0f%%)", level*100)
				case last-level > 0.25:
					msg = fmt.Sprintf("the scene got darker (%.0f%%)", level*100)
				default:
					continue
				}
				last = level
				if !yield(map[string]any{"message": msg, "brightness": math.Round(level*100) / 100}, nil) {
					return
				}
			}
		}
	})
}

// brightness returns the mean luma of a JPEG image, from 0 to 1.
func brightness(data []byte) (float64, error) {
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	b := img.Bounds()
	var sum float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum += float64(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
		}
	}
	return sum / float64(b.Dx()*b.Dy()) / 255, nil
}

// cameraFrame returns the nth frame of the example's camera: a small
// JPEG whose lights go on and off every 4 frames.
func cameraFrame(n int) []byte {
	level := uint8(40)
	if n/4%2 == 1 {
		level = 220
	}
	img := image.NewGray(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = level + uint8(i%8) // a little texture
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 60}) // writing to memory does not fail
	return buf.Bytes()
}
