package event

import "time"

// ReconnectState is the phase of a reconnection a [Reconnect] reports.
type ReconnectState string

// The phases of a reconnection, in the order they happen.
const (
	// ReconnectStarted: the connection to the model ended and the run is
	// waiting Backoff before attempt Attempt. Input sent meanwhile is
	// held and delivered after.
	ReconnectStarted ReconnectState = "started"
	// ReconnectSucceeded: a new connection is ready; held input follows.
	ReconnectSucceeded ReconnectState = "succeeded"
	// ReconnectGaveUp: the attempts ran out or the server refused the
	// session for good; the run ends with the error that says why.
	ReconnectGaveUp ReconnectState = "gave_up"
)

// Reconnect reports the run's own reconnection to the model, so a user
// interface can say "reconnecting…". It never comes from the server.
type Reconnect struct {
	// State is the phase this event reports.
	State ReconnectState `json:"state"`
	// Cause says why the previous connection ended, for example
	// "connection closed with status 1006" or "goAway".
	Cause string `json:"cause,omitempty"`
	// Attempt counts the attempts since the connection ended, from 1.
	Attempt int `json:"attempt,omitempty"`
	// Backoff is how long the run waits before this attempt.
	Backoff time.Duration `json:"backoff,omitempty"`
	// Resumed reports, on a succeeded reconnection, that the server
	// resumed the session from a handle; false means a fresh session
	// seeded with the conversation's history.
	Resumed bool `json:"resumed,omitempty"`
}

// Warning codes of [Warning] events.
const (
	// WarningSessionLimit: the session will reach the service's duration
	// limit soon (context window compression is off).
	WarningSessionLimit = "SESSION_DURATION_LIMIT"
	// WarningHeldAudioDropped: audio sent while the connection was down
	// exceeded RunConfig.MaxHeldAudioBytes; the oldest was dropped.
	WarningHeldAudioDropped = "HELD_AUDIO_DROPPED"
	// WarningInputNotDelivered: the run ended with input still held
	// for a connection that never came back.
	WarningInputNotDelivered = "INPUT_NOT_DELIVERED"
	// WarningToolAbandoned: a tool ignored the cancellation of its
	// context past RunConfig.ToolGracePeriod; the run ended without it.
	WarningToolAbandoned = "TOOL_ABANDONED"
)

// Warning reports something the application should know that does not end
// the run.
type Warning struct {
	// Code is one of the Warning... constants.
	Code string `json:"code"`
	// Message describes it for people, with figures.
	Message string `json:"message"`
}
