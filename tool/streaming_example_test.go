package tool_test

import (
	"context"
	"fmt"
	"iter"

	"google.golang.org/genai"

	"github.com/adklive/adklive/tool"
)

func ExampleNewStreaming() {
	monitor, err := tool.NewStreaming(tool.StreamingConfig{
		Name:        "monitor_stock_price",
		Description: "Reports each new price of a stock until stopped with stop_streaming.",
		Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{
			"symbol": {Type: genai.TypeString},
		}},
	}, func(ctx tool.Context, args map[string]any, _ *tool.InputStream) iter.Seq2[map[string]any, error] {
		return func(yield func(map[string]any, error) bool) {
			for _, price := range []float64{101.5, 102.25, 99.75} { // a real feed waits for each, and for ctx.Done()
				if ctx.Err() != nil || !yield(map[string]any{"symbol": args["symbol"], "price": price}, nil) {
					return
				}
			}
		}
	})
	if err != nil {
		panic(err)
	}

	// A live run ranges over Stream and sends each result to the model as
	// it comes; a test can range over it too.
	ctx := tool.NewContext(context.Background(), tool.CallInfo{FunctionCallID: "call-1"})
	for result, err := range monitor.Stream(ctx, map[string]any{"symbol": "GOOG"}, nil) {
		fmt.Println(result, err)
	}
	fmt.Println(monitor.Declaration().Behavior)
	// Output:
	// map[price:101.5 symbol:GOOG] <nil>
	// map[price:102.25 symbol:GOOG] <nil>
	// map[price:99.75 symbol:GOOG] <nil>
	// NON_BLOCKING
}

func ExampleNonBlocking() {
	notify, err := tool.NewFunction(tool.FunctionConfig{Name: "book_table", Description: "Books a table; takes a minute."},
		func(tool.Context, map[string]any) (map[string]any, error) { return map[string]any{"booked": true}, nil })
	if err != nil {
		panic(err)
	}
	// The model keeps talking while the booking runs, and interrupts
	// itself to say when it is done.
	booking, err := tool.NonBlocking(notify, genai.FunctionResponseSchedulingInterrupt)
	if err != nil {
		panic(err)
	}
	fmt.Println(booking.Declaration().Behavior, booking.Scheduling())
	// Output: NON_BLOCKING INTERRUPT
}
