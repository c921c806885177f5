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

// CodeExecution returns the built-in code execution tool: the model writes
// and runs code on its service, and the code and its result arrive as
// executable-code and code-execution-result parts.
func CodeExecution() Builtin { return codeExecution{} }

type codeExecution struct{}

func (codeExecution) Name() string { return "code_execution" }

func (codeExecution) Description() string {
	return "Writes and runs code (run by the model's service)."
}

func (codeExecution) GenaiTool() *genai.Tool {
	return &genai.Tool{CodeExecution: &genai.ToolCodeExecution{}}
}

// URLContext returns the built-in URL context tool: the model fetches the
// web pages named in the conversation itself and reads them.
func URLContext() Builtin { return urlContext{} }

type urlContext struct{}

func (urlContext) Name() string { return "url_context" }

func (urlContext) Description() string {
	return "Reads the web pages the conversation names (run by the model's service)."
}

func (urlContext) GenaiTool() *genai.Tool {
	return &genai.Tool{URLContext: &genai.URLContext{}}
}
