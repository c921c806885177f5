package gemini

import (
	"errors"
	"fmt"
	"strings"

	"github.com/adklive/adklive/flow/live"
	"github.com/coder/websocket"
)

// ErrInvalidRequest is matched (with errors.Is) by every error that rejects
// a request before anything is sent: a setup field the target backend
// refuses, a malformed realtime input, content a model family does not
// accept mid-session. Such errors are never retryable.
var ErrInvalidRequest = errors.New("gemini: invalid request")

// RequestError rejects a request before it reaches the wire. Field is the
// path of the offending field in wire spelling (for example
// "setup.sessionResumption.transparent"); Problem says what is wrong with it.
type RequestError struct {
	Field   string
	Problem string
}

// Error returns "gemini: FIELD: PROBLEM".
func (e *RequestError) Error() string {
	return "gemini: " + e.Field + ": " + e.Problem
}

// Is reports whether target is [ErrInvalidRequest] or [live.ErrRejected]
// (the connection stays open).
func (e *RequestError) Is(target error) bool {
	return target == ErrInvalidRequest || target == live.ErrRejected
}

// Retryable reports false: sending the same request again fails the same way.
func (e *RequestError) Retryable() bool { return false }

// Quota reports false.
func (e *RequestError) Quota() bool { return false }

func invalid(field, format string, args ...any) error {
	return &RequestError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// ConfigError reports a [Config] that cannot be resolved into a working
// backend. Field names the Config field at fault and Env lists the
// environment variables that can supply it instead. It never contains a
// secret.
type ConfigError struct {
	Field   string
	Env     []string
	Problem string
}

// Error describes the problem and what to set.
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("gemini: ")
	b.WriteString(e.Problem)
	if e.Field != "" || len(e.Env) > 0 {
		b.WriteString(": set ")
		if e.Field != "" {
			b.WriteString("Config.")
			b.WriteString(e.Field)
		}
		if len(e.Env) > 0 {
			if e.Field != "" {
				b.WriteString(" or ")
			}
			b.WriteString("the ")
			b.WriteString(strings.Join(e.Env, " or "))
			if len(e.Env) == 1 {
				b.WriteString(" environment variable")
			} else {
				b.WriteString(" environment variables")
			}
		}
	}
	return b.String()
}

// CloseError is returned by [Conn.Receive] (and by Connect) when the
// connection ended without the client asking for it: the server sent a
// close frame (Code and Reason are the server's), or the connection dropped
// without one (Code is 1006, [websocket.StatusAbnormalClosure], and Err is
// the transport error).
//
// Retryable and Quota classify it the way the Live API behaves (see the
// package documentation): the flow reconnects on Retryable errors, backs off
// longer on Quota errors, and surfaces the rest.
type CloseError struct {
	Code   websocket.StatusCode
	Reason string
	// Err is the underlying transport error of an abnormal closure, or nil.
	Err error
}

// Error returns the status code and the server's reason.
func (e *CloseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gemini: connection closed with status %d", int(e.Code))
	if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the transport error of an abnormal closure, or nil.
func (e *CloseError) Unwrap() error { return e.Err }

// Retryable reports whether reconnecting (with a resumption handle when
// there is one) can continue the session: an unexpected normal closure
// (1000, the server's session cap), an abnormal drop (1006), a server
// restart or overload (1001, 1012, 1013, 1014), a 1011 internal error that
// is not about quota, and a 1008 that reports the session cap. Everything
// else, in particular 1007 (a bad request) and other 1008s (model not
// found, policy, billing), is fatal.
func (e *CloseError) Retryable() bool {
	switch e.Code {
	case websocket.StatusNormalClosure,
		websocket.StatusGoingAway,
		websocket.StatusAbnormalClosure,
		websocket.StatusServiceRestart,
		websocket.StatusTryAgainLater,
		websocket.StatusBadGateway:
		return true
	case websocket.StatusInternalError:
		return !isQuotaReason(e.Reason)
	case websocket.StatusPolicyViolation:
		return isSessionCapReason(e.Reason)
	}
	return false
}

// Quota reports whether the server refused the session because a quota or
// rate limit was exhausted (a 1011 or 1013 whose reason says so). Such a
// session may be retried after a longer back-off, a bounded number of
// times; Retryable reports false for it.
func (e *CloseError) Quota() bool {
	switch e.Code {
	case websocket.StatusInternalError, websocket.StatusTryAgainLater:
		return isQuotaReason(e.Reason)
	}
	return false
}

// isQuotaReason recognises the reasons the Live API gives when a quota is
// exhausted ("You exceeded your current quota...", "Resource has been
// exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED").
func isQuotaReason(reason string) bool {
	r := strings.ToLower(reason)
	return strings.Contains(r, "quota") ||
		strings.Contains(r, "resource has been exhausted") ||
		strings.Contains(r, "resource_exhausted") ||
		strings.Contains(r, "rate limit")
}

// isSessionCapReason recognises a 1008 that ends a session because it hit
// its duration cap rather than because the request was refused.
func isSessionCapReason(reason string) bool {
	r := strings.ToLower(reason)
	if strings.Contains(r, "operation was aborted") || strings.Contains(r, "operation was cancelled") {
		return true
	}
	return strings.Contains(r, "session") &&
		(strings.Contains(r, "duration") || strings.Contains(r, "limit") || strings.Contains(r, "maximum"))
}

// APIError is an in-band error message from the server
// ({"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}),
// returned by [Conn.Receive]. It is not retryable.
type APIError struct {
	// Code is the HTTP-style status code, for example 400.
	Code int
	// Status is the canonical status name, for example "INVALID_ARGUMENT".
	Status string
	// Message is the server's description.
	Message string
}

// Error returns the code, status and message.
func (e *APIError) Error() string {
	return fmt.Sprintf("gemini: server error %d %s: %s", e.Code, e.Status, e.Message)
}

// Retryable reports false: the server rejected what it was sent.
func (e *APIError) Retryable() bool { return false }

// Quota reports whether the error is a quota or rate-limit error
// (status RESOURCE_EXHAUSTED or code 429).
func (e *APIError) Quota() bool {
	return e.Code == 429 || e.Status == "RESOURCE_EXHAUSTED"
}

// DialError reports a failed WebSocket handshake. StatusCode is the HTTP
// status the server answered the upgrade with, or 0 when no response
// arrived (DNS, TCP, TLS failure).
type DialError struct {
	StatusCode int
	Err        error
}

// Error returns the HTTP status, if any, and the dial error.
func (e *DialError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("gemini: dial: HTTP status %d: %v", e.StatusCode, e.Err)
	}
	return fmt.Sprintf("gemini: dial: %v", e.Err)
}

// Unwrap returns the dial error.
func (e *DialError) Unwrap() error { return e.Err }

// Retryable reports whether dialling again may succeed: no response at
// all, or a 5xx response.
func (e *DialError) Retryable() bool {
	return e.StatusCode == 0 || e.StatusCode >= 500
}

// Quota reports whether the server answered 429 Too Many Requests.
func (e *DialError) Quota() bool { return e.StatusCode == 429 }

// ProtocolError reports a server message that could not be decoded, or a
// handshake that did not follow the protocol. It is not retryable.
type ProtocolError struct {
	Problem string
	Err     error
}

// Error returns the problem and its cause.
func (e *ProtocolError) Error() string {
	if e.Err != nil {
		return "gemini: protocol: " + e.Problem + ": " + e.Err.Error()
	}
	return "gemini: protocol: " + e.Problem
}

// Unwrap returns the cause, for example a JSON syntax error.
func (e *ProtocolError) Unwrap() error { return e.Err }

// Retryable reports false.
func (e *ProtocolError) Retryable() bool { return false }

// Quota reports false.
func (e *ProtocolError) Quota() bool { return false }

// redactedError replaces an error whose text contained a secret. It keeps
// no chain to the original, so nothing can print the secret through it.
type redactedError struct{ msg string }

func (e *redactedError) Error() string { return e.msg }

// redact returns err unchanged when its text contains none of secrets as
// a whole token, and otherwise a new error with each such occurrence
// replaced by "[REDACTED]".
//
// A secret counts only where it stands delimited: not preceded or followed
// by a character of the key alphabet [A-Za-z0-9_-] (see isKeyChar). So a
// short key (even one character) cannot mangle the words of the message,
// while a key in a header dump, a URL query or a quoted string is still
// removed.
func redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if out, ok := replaceToken(msg, s, "[REDACTED]"); ok {
			msg, changed = out, true
		}
	}
	if !changed {
		return err
	}
	return &redactedError{msg: msg}
}

// replaceToken replaces every occurrence of tok in s that is not adjacent
// to a key character, and reports whether it replaced any.
func replaceToken(s, tok, with string) (string, bool) {
	var b strings.Builder
	done := 0 // s[:done] is in b, or nothing was replaced yet
	replaced := false
	for from := 0; ; {
		i := strings.Index(s[from:], tok)
		if i < 0 {
			break
		}
		start, end := from+i, from+i+len(tok)
		if delimited(s, start, end) {
			b.WriteString(s[done:start])
			b.WriteString(with)
			done, replaced = end, true
			from = end
			continue
		}
		from = start + 1
	}
	if !replaced {
		return s, false
	}
	b.WriteString(s[done:])
	return b.String(), true
}

// delimited reports whether s[start:end] stands as a token of its own:
// the characters around it, if any, are not key characters. An edge of
// the token that is not itself a key character needs no delimiter.
func delimited(s string, start, end int) bool {
	if start > 0 && isKeyChar(s[start]) && isKeyChar(s[start-1]) {
		return false
	}
	if end < len(s) && isKeyChar(s[end-1]) && isKeyChar(s[end]) {
		return false
	}
	return true
}

// isKeyChar reports whether c belongs to the alphabet of API keys and
// OAuth tokens' segments: ASCII letters, digits, '_' and '-'.
func isKeyChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// rewrite returns err unchanged when its text contains none of the old
// strings of the old/new pairs, and otherwise a new error with each
// replaced.
func rewrite(err error, pairs ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	var kept []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] != "" && strings.Contains(msg, pairs[i]) {
			kept = append(kept, pairs[i], pairs[i+1])
		}
	}
	if len(kept) == 0 {
		return err
	}
	return &redactedError{msg: strings.NewReplacer(kept...).Replace(msg)}
}
