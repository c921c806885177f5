package runconfig

import "errors"

// ErrInvalid is matched (with errors.Is) by every error Validate returns.
var ErrInvalid = errors.New("invalid run config")

// FieldError is one problem Validate found, naming the field it concerns.
// It matches ErrInvalid with errors.Is; use errors.As to get at the field.
type FieldError struct {
	// Field is the path of the offending field from RunConfig, for example
	// "ResponseModalities" or
	// "RealtimeInputConfig.AutomaticActivityDetection.SilenceDurationMs".
	Field string
	// Problem says what is wrong with it.
	Problem string
}

// Error returns "runconfig: " + Field + ": " + Problem.
func (e *FieldError) Error() string {
	return "runconfig: " + e.Field + ": " + e.Problem
}

// Unwrap returns ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }
