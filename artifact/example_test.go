package artifact_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/adklive/adklive/artifact"
	"google.golang.org/genai"
)

// A report saved twice has two versions; loading version 0 gives the
// newest.
func Example() {
	dir, err := os.MkdirTemp("", "adklive-artifacts")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	svc, err := artifact.Filesystem(dir)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, text := range []string{"draft", "final"} {
		resp, err := svc.Save(ctx, &artifact.SaveRequest{
			AppName: "bidi-demo", UserID: "user-1", SessionID: "call-42", FileName: "report.txt",
			Part: genai.NewPartFromText(text),
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("saved version", resp.Version)
	}
	got, err := svc.Load(ctx, &artifact.LoadRequest{AppName: "bidi-demo", UserID: "user-1", SessionID: "call-42", FileName: "report.txt"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("newest:", got.Part.Text)
	// Output:
	// saved version 1
	// saved version 2
	// newest: final
}
