package runner

import (
	"fmt"

	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
)

// Refusals of the check a run installs on its queue. They are made once:
// the check runs for every request, audio chunks included.
var (
	errActivityStart = activitySignalError("activity start")
	errActivityEnd   = activitySignalError("activity end")
)

func activitySignalError(what string) error {
	return fmt.Errorf("%w: %s signal refused: activity signals need "+
		"RealtimeInputConfig.AutomaticActivityDetection.Disabled set to true in the run's RunConfig "+
		"(automatic activity detection is on, and the server would end the session for the signal)",
		livequeue.ErrInvalidRequest, what)
}

// queueCheck returns the claim option that makes the queue of a run with
// cfg (defaults applied) refuse, at the send, what the run would not send:
// activity signals while automatic activity detection is on.
func queueCheck(cfg runconfig.RunConfig) livequeue.ClaimOption {
	if cfg.ActivitySignalsAllowed() {
		return livequeue.WithCheck(nil)
	}
	return livequeue.WithCheck(refuseActivitySignals)
}

// refuseActivitySignals is the check of a run with automatic activity
// detection on.
func refuseActivitySignals(r livequeue.Request) error {
	switch {
	case r.ActivityStart:
		return errActivityStart
	case r.ActivityEnd:
		return errActivityEnd
	}
	return nil
}
