package tool

import "google.golang.org/genai"

// GoogleSearch returns the built-in Google Search tool: the model searches
// the web itself and reports its sources as grounding metadata.
func GoogleSearch() Builtin { return googleSearch{} }

type googleSearch struct{}

func (googleSearch) Name() string { return "google_search" }

func (googleSearch) Description() string {
	return "Searches the web with Google Search (run by the model's service)."
}

func (googleSearch) GenaiTool() *genai.Tool {
	return &genai.Tool{GoogleSearch: &genai.GoogleSearch{}}
}
