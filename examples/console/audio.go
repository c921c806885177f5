package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/examples/internal/wav"
	"github.com/adklive/adklive/livequeue"
)

const (
	// inputRate is the sample rate the Live API takes audio at.
	inputRate = 16000
	// audioChunk is how much audio each realtime message carries, as a
	// browser's recorder sends it.
	audioChunk = 100 * time.Millisecond
	// trailingSilence follows the file, so the model's voice activity
	// detection sees the end of speech, as after a real utterance.
	trailingSilence = time.Second
	// replyWait bounds the wait for the reply to the audio: a file with
	// no speech in it gets none.
	replyWait = 30 * time.Second
)

// loadAudio reads a WAV file and returns it as 16 kHz PCM16LE mono, the
// Live API's input format.
func loadAudio(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("-audio: %w", err)
	}
	defer f.Close()
	a, err := wav.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("-audio %s: %w", file, err)
	}
	if len(a.Samples) == 0 {
		return nil, fmt.Errorf("-audio %s: the file holds no audio", file)
	}
	return a.Resample(inputRate).Bytes(), nil
}

// streamAudio sends pcm (16 kHz PCM16LE mono) to q as realtime audio in
// audioChunk pieces, one per audioChunk of wall-clock time when realtime
// is set, then trailingSilence of silence and an audioStreamEnd. It then
// waits for the reply to end, for the run to end, or replyWait. It returns
// early when ctx ends or the run is over (q closed).
func streamAudio(ctx context.Context, pcm []byte, realtime bool, q *livequeue.Queue, turnEnded, runEnded <-chan struct{}, notices io.Writer) {
	size := int(audioChunk*inputRate/time.Second) * 2
	fmt.Fprintf(notices, "streaming %.1f s of audio...\n", float64(len(pcm))/2/inputRate)
	pcm = append(pcm, make([]byte, int(trailingSilence*inputRate/time.Second)*2)...)
	var tick <-chan time.Time
	if realtime {
		t := time.NewTicker(audioChunk)
		defer t.Stop()
		tick = t.C
	}
	for off := 0; off < len(pcm); off += size {
		blob := &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: pcm[off:min(off+size, len(pcm))]}
		if q.SendRealtime(blob) != nil {
			return // the run is over
		}
		if tick != nil {
			select {
			case <-tick:
			case <-ctx.Done():
				return
			case <-runEnded:
				return
			}
		}
	}
	if q.SendAudioStreamEnd() != nil {
		return
	}
	timer := time.NewTimer(replyWait)
	defer timer.Stop()
	select {
	case <-turnEnded:
	case <-runEnded:
	case <-ctx.Done():
	case <-timer.C:
		fmt.Fprintf(notices, "no reply to the audio after %v (was there speech in it?)\n", replyWait)
	}
}
