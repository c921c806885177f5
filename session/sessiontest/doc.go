// Package sessiontest is the conformance suite every [session.Service]
// must pass. A backend runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		sessiontest.Run(t, func(t *testing.T) session.Service {
//			return mybackend.New(...) // a fresh, empty service
//		})
//	}
//
// The suite tests behaviour through the Service interface only. Its state
// values are what JSON carries unchanged (strings, float64, bool, []any,
// map[string]any) and its event timestamps have microsecond precision, so
// a backend that stores JSON passes it without special cases.
package sessiontest
