// Command fakeserver serves the benchmark's fake Live API on a loopback
// port and prints its base URL (ws://127.0.0.1:port) on the first line of
// standard output. It runs until killed.
package main

import (
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/adklive/adklive/bench/fakeserver"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ws://%s\n", ln.Addr())
	srv := &http.Server{Handler: fakeserver.NewHandler(slog.New(slog.NewTextHandler(os.Stderr, nil)))}
	log.Fatal(srv.Serve(ln))
}
