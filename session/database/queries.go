package database

import "fmt"

// queries are the service's statements in its dialect, made once by New.
// Every value is a parameter; only the table names, which New checked, are
// written into the text.
type queries struct {
	insertSession string // app, user, id, create, update
	sessionRow    string // app, user, id -> update_time, event_seq
	bumpSession   string // now, now, app, user, id, seen
	deleteSession string // app, user, id
	deleteEvents  string // app, user, id
	deleteStates  string // app, user, id

	insertEvent string // app, user, id, seq, event id, time, data
	// selectEvents: app, user, id, last seq, first seq (exclusive), after
	// -> event_time, data
	selectEvents string

	upsertApp     string // app, key, value
	upsertUser    string // app, user, key, value
	upsertSession string // app, user, id, key, value
	// mergedState: app, app, user, app, user, id -> state_key, state_value
	mergedState string

	listSessions, listUserSessions           string // app [, user] -> user, id, update_time
	appState                                 string // app -> key, value
	listUserStates, listUserStatesOfUser     string // app [, user] -> user, key, value
	listSessionStates, listSessionStatesUser string // app [, user] -> user, id, key, value
}

// newQueries writes the statements for dialect d and tables t.
func newQueries(d Dialect, t tables) queries {
	const pk = "app_name = ? AND user_id = ? AND session_id = ?"
	insertSession := fmt.Sprintf("INSERT INTO %s (app_name, user_id, session_id, create_time, update_time, event_seq) VALUES (?, ?, ?, ?, ?, 0)", t.sessions)
	if d != MySQL {
		insertSession += " ON CONFLICT (app_name, user_id, session_id) DO NOTHING"
	}
	q := queries{
		insertSession: insertSession,
		sessionRow:    fmt.Sprintf("SELECT update_time, event_seq FROM %s WHERE %s", t.sessions, pk),
		// The new update time is now, or a microsecond after the stored
		// one when that is not earlier: every append moves the version
		// forward, whatever the clocks of the replicas say.
		bumpSession: fmt.Sprintf("UPDATE %s SET update_time = CASE WHEN update_time < ? THEN ? ELSE update_time + 1 END, event_seq = event_seq + 1 WHERE %s AND update_time <= ?",
			t.sessions, pk),
		deleteSession: fmt.Sprintf("DELETE FROM %s WHERE %s", t.sessions, pk),
		deleteEvents:  fmt.Sprintf("DELETE FROM %s WHERE %s", t.events, pk),
		deleteStates:  fmt.Sprintf("DELETE FROM %s WHERE %s", t.sessionStates, pk),

		insertEvent: fmt.Sprintf("INSERT INTO %s (app_name, user_id, session_id, seq, event_id, event_time, data) VALUES (?, ?, ?, ?, ?, ?, ?)", t.events),
		selectEvents: fmt.Sprintf("SELECT event_time, data FROM %s WHERE %s AND seq <= ? AND seq > ? AND event_time >= ? ORDER BY seq",
			t.events, pk),

		upsertApp:     upsert(d, t.appStates, []string{"app_name", "state_key"}, "state_value"),
		upsertUser:    upsert(d, t.userStates, []string{"app_name", "user_id", "state_key"}, "state_value"),
		upsertSession: upsert(d, t.sessionStates, []string{"app_name", "user_id", "session_id", "state_key"}, "state_value"),
		mergedState: fmt.Sprintf(`SELECT state_key, state_value FROM %s WHERE app_name = ?
UNION ALL SELECT state_key, state_value FROM %s WHERE app_name = ? AND user_id = ?
UNION ALL SELECT state_key, state_value FROM %s WHERE %s`, t.appStates, t.userStates, t.sessionStates, pk),

		listSessions:          fmt.Sprintf("SELECT user_id, session_id, update_time FROM %s WHERE app_name = ?", t.sessions),
		listUserSessions:      fmt.Sprintf("SELECT user_id, session_id, update_time FROM %s WHERE app_name = ? AND user_id = ?", t.sessions),
		appState:              fmt.Sprintf("SELECT state_key, state_value FROM %s WHERE app_name = ?", t.appStates),
		listUserStates:        fmt.Sprintf("SELECT user_id, state_key, state_value FROM %s WHERE app_name = ?", t.userStates),
		listUserStatesOfUser:  fmt.Sprintf("SELECT user_id, state_key, state_value FROM %s WHERE app_name = ? AND user_id = ?", t.userStates),
		listSessionStates:     fmt.Sprintf("SELECT user_id, session_id, state_key, state_value FROM %s WHERE app_name = ?", t.sessionStates),
		listSessionStatesUser: fmt.Sprintf("SELECT user_id, session_id, state_key, state_value FROM %s WHERE app_name = ? AND user_id = ?", t.sessionStates),
	}
	for _, p := range []*string{
		&q.insertSession, &q.sessionRow, &q.bumpSession, &q.deleteSession, &q.deleteEvents, &q.deleteStates,
		&q.insertEvent, &q.selectEvents, &q.upsertApp, &q.upsertUser, &q.upsertSession, &q.mergedState,
		&q.listSessions, &q.listUserSessions, &q.appState, &q.listUserStates, &q.listUserStatesOfUser,
		&q.listSessionStates, &q.listSessionStatesUser,
	} {
		*p = rebind(d, *p)
	}
	return q
}
