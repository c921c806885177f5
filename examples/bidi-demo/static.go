package main

import (
	"embed"
	"io/fs"
)

// staticFiles holds the web UI: plain HTML, CSS and JavaScript modules, no
// build step, so the demo serves it offline.
//
//go:embed static
var staticFiles embed.FS

// staticFS returns the UI's files with "static/" stripped from their names.
func staticFS() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // "static" is a valid path, embedded above
	}
	return sub
}
