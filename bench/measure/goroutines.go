package measure

import (
	"bytes"
	"runtime"
	"strings"
)

// creators maps a package path prefix to the name goroutines it starts
// are counted under; the first match wins.
var creators = []struct{ prefix, name string }{
	{"github.com/adklive/adklive/bench", "harness"},
	{"github.com/adklive/adklive", "adklive"},
	{"github.com/coder/websocket", "coder/websocket"},
	{"google.golang.org/adk", "adk"},
	{"google.golang.org/genai", "genai"},
	{"github.com/gorilla/websocket", "gorilla/websocket"},
	{"net/http", "net/http"},
}

// goroutinesByCreator counts the live goroutines by the package of the
// function that started them (the "created by" line of their stack).
func goroutinesByCreator() map[string]int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	counts := make(map[string]int)
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		name := "other"
		if i := bytes.Index(g, []byte("\ncreated by ")); i >= 0 {
			fn := string(g[i+len("\ncreated by "):])
			for _, c := range creators {
				if strings.HasPrefix(fn, c.prefix) {
					name = c.name
					break
				}
			}
		} else {
			name = "main"
		}
		counts[name]++
	}
	return counts
}
