// Package runner runs agents live: [Runner.RunLive] looks up (or creates)
// the session, starts the root agent on a request queue, persists the
// events that belong in the conversation, and yields every event to the
// caller.
//
// A service builds one Runner per process and starts one live run per
// connection:
//
//	r, err := runner.New(runner.Config{AppName: "bidi-demo", Agent: root, SessionService: session.InMemory()})
//	...
//	q := livequeue.New()
//	defer q.Close()
//	go readClient(conn, q) // q.SendContent, q.SendRealtime, ...
//	for ev, err := range r.RunLive(ctx, userID, sessionID, q, runconfig.RunConfig{}) {
//		if err != nil {
//			return err
//		}
//		writeClient(conn, ev)
//	}
//
// When a run claims its queue it installs the checks that depend on its
// RunConfig (see livequeue.WithCheck): while automatic activity detection
// is on, SendActivityStart and SendActivityEnd on the run's queue fail
// with an error matching livequeue.ErrInvalidRequest instead of reaching
// the model, which would end the session for them.
//
// What is persisted follows flow.Persist: merged text, finished
// transcriptions, function calls and responses, control events and the
// user's typed text are appended to the session once each; partial chunks,
// transcription fragments and audio are only yielded.
package runner
