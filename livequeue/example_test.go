package livequeue_test

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
)

// One goroutine feeds user input into the queue while the live run
// consumes it. Closing the queue ends the run after everything sent has
// been delivered.
func Example() {
	q := livequeue.New()

	// Producer: for example the goroutine reading the client's WebSocket.
	go func() {
		defer q.Close()
		_ = q.SendContent(genai.NewContentFromText("What's the weather in Tokyo?", genai.RoleUser))
		for range 3 {
			_ = q.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 3200)})
		}
		_ = q.SendAudioStreamEnd()
	}()

	// Consumer: a live run receives the requests.
	if err := q.Claim(); err != nil {
		fmt.Println("claim:", err)
		return
	}
	for {
		r, err := q.Receive(context.Background())
		if errors.Is(err, livequeue.ErrClosed) {
			fmt.Println("queue closed: run ends")
			return
		}
		switch {
		case r.Content != nil:
			fmt.Printf("turn: %s\n", r.Content.Parts[0].Text)
		case r.Blob != nil:
			fmt.Printf("realtime: %d bytes of %s\n", len(r.Blob.Data), r.Blob.MIMEType)
		case r.AudioStreamEnd:
			fmt.Println("audio stream end")
		}
	}
	// Output:
	// turn: What's the weather in Tokyo?
	// realtime: 3200 bytes of audio/pcm;rate=16000
	// realtime: 3200 bytes of audio/pcm;rate=16000
	// realtime: 3200 bytes of audio/pcm;rate=16000
	// audio stream end
	// queue closed: run ends
}

// A bounded queue refuses input it has no room for, keeping everything it
// already holds; for realtime audio, dropping the newest chunk is usually
// right.
func ExampleWithLimit() {
	q := livequeue.New(livequeue.WithLimit(2))
	defer q.Close()
	for i := range 3 {
		err := q.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: []byte{byte(i), 0}})
		if errors.Is(err, livequeue.ErrFull) {
			fmt.Printf("chunk %d dropped: %v\n", i, err)
		}
	}
	fmt.Println("queued:", q.Len())
	// Output:
	// chunk 2 dropped: livequeue: queue full
	// queued: 2
}

// A queue serves one live run: claiming it a second time fails.
func ExampleQueue_Claim() {
	q := livequeue.New()
	defer q.Close()
	fmt.Println(q.Claim())
	fmt.Println(q.Claim())
	// Output:
	// <nil>
	// livequeue: queue already claimed by a live run
}
