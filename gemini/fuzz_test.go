package gemini

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeServerMessage decodes arbitrary server frames. The committed
// corpus (testdata/fuzz/FuzzDecodeServerMessage) holds every server frame
// of the recordings; the seeds below add the edge cases. Properties: no
// panic; a frame decodes to a response or fails with a typed error; and
// whenever the fast path accepts a frame, the general decoder accepts it
// too and produces the same response.
func FuzzDecodeServerMessage(f *testing.F) {
	for _, seed := range []string{
		string(audioFrame(1920)),
		`{"serverContent":{"modelTurn":{"parts":[{"text":"a\"b\\u00e9\ud83d\ude00"}]}}}`,
		`{"serverContent":{"modelTurn":{"parts":[{"text":"\ud800"}]}}}`,
		"{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"\xff\xfe\"}]}}}",
		`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"-_-_8A","mimeType":"audio/pcm"}}]}}}`,
		`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"AAE=","data":"AAE="}}]}}}`,
		`{"serverContent":{"modelTurn":{"parts":[{"text":"a"},{"inlineData":{"mimeType":"audio/pcm","data":"AAE="}}]},"turnComplete":true}}`,
		`{"serverContent":{"generationComplete":false,"modelTurn":{"role":"model","parts":[{"inlineData":{"data":"AAE="}}]}}}`,
		`{"serverContent": { "modelTurn" :{}}}`,
		`{"serverContent":{"inputTranscription":{"text":" hi","finished":true},"outputTranscription":{}}}`,
		`{"serverContent":{"turnComplete":true,"turnCompleteReason":"NEED_MORE_INPUT","waitingForInput":true}}`,
		`{"serverContent":{"modelTurn":null,"turnComplete":null}}`,
		`{"toolCall":{"functionCalls":[{"id":"1","name":"f","args":{"a":[1,{"b":null}]}}]}}`,
		`{"toolCallCancellation":{"ids":["1","2"]}}`,
		`{"goAway":{"timeLeft":"50s"}}`,
		`{"goAway":{"timeLeft":1e300}}`,
		`{"sessionResumptionUpdate":{"newHandle":"h","resumable":true,"lastConsumedClientMessageIndex":"3"}}`,
		`{"sessionResumptionUpdate":{"lastConsumedClientMessageIndex":-9223372036854775808}}`,
		`{"usageMetadata":{"candidatesTokenCount":"31","candidatesTokensDetails":[null,{"tokenCount":1e2}]}}`,
		`{"voiceActivity":{"type":"ACTIVITY_START","audioOffset":"6.680s"}}`,
		`{"voiceActivityDetectionSignal":{"vadSignalType":"VAD_SIGNAL_TYPE_SOS"}}`,
		`{"setupComplete":{"sessionId":"x"}}`,
		`{"error":{"code":"400","message":"bad","status":"INVALID_ARGUMENT"}}`,
		`{"error":null}`,
		`[]`, `null`, `"x"`, `{}`, `{"serverContent":{}}   `, `{"serverContent":{}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		resp, err := decodeServerMessage(data)
		if err != nil {
			var pe *ProtocolError
			var ae *APIError
			if !errors.As(err, &pe) && !errors.As(err, &ae) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
		} else if resp == nil {
			t.Fatal("nil response without an error")
		}
		fast, ok := decodeFast(data)
		if !ok {
			return
		}
		general, err := decodeGeneral(data)
		if err != nil {
			t.Fatalf("fast path accepted a frame the general decoder rejects (%v): %q", err, data)
		}
		if diff := cmp.Diff(general, fast); diff != "" {
			t.Fatalf("fast path differs from the general decoder (-general +fast):\n%s\nframe: %q", diff, data)
		}
	})
}
