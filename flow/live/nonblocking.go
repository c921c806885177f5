package live

// NonBlockingChecker is implemented by models that can tell, before
// connecting, whether they accept the function response fields of
// NON_BLOCKING functions: functionResponse.scheduling and willContinue.
// The Gemini API accepts them; Vertex AI and gemini-3.1 live models do not.
//
// The flow calls CheckNonBlocking before dialing: a run whose tools need
// scheduling is refused with its error, and streaming tools send their
// results as text instead of function responses that continue.
type NonBlockingChecker interface {
	// CheckNonBlocking returns nil when the model accepts scheduling and
	// willContinue, or an error saying which backend or model family
	// refuses them.
	CheckNonBlocking() error
}
