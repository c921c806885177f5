package session

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/google/uuid"
)

// InMemory returns a [Service] that keeps sessions in memory, for tests and
// single-process deployments. Everything is lost when the process exits.
//
// It is safe for concurrent use. It copies deeply on the way in and on the
// way out: no caller's value is stored, and no returned value is shared
// with what is stored or with another caller.
func InMemory() Service {
	return &inMemory{apps: make(map[string]*appData)}
}

// inMemory is the Service InMemory returns.
type inMemory struct {
	mu   sync.RWMutex
	apps map[string]*appData
	// lastUpdate is the latest update time handed out; update times are
	// strictly increasing across the service, so a session deleted and
	// created again is always newer than any value of the old one.
	lastUpdate time.Time
}

// appData is one app's shared state and its users.
type appData struct {
	state State // "app:" keys
	users map[string]*userData
}

// userData is one user's shared state and sessions.
type userData struct {
	state    State // "user:" keys
	sessions map[string]*storedSession
}

// storedSession is one session as stored. Its events and state share no
// memory with any caller's.
type storedSession struct {
	state      State // keys without a prefix
	events     []*event.Event
	lastUpdate time.Time
}

// Create implements [Service.Create].
func (m *inMemory) Create(ctx context.Context, req *CreateRequest) (*Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidArgument("nil CreateRequest")
	}
	k, err := NewKey(req.AppName, req.UserID, req.SessionID, "")
	if err != nil {
		return nil, err
	}
	if k.ID == "" {
		k.ID = uuid.NewString()
	}
	initial := SplitState(cloneState(req.State))

	m.mu.Lock()
	defer m.mu.Unlock()
	app, user, _ := m.lookup(k)
	if user != nil && user.sessions[k.ID] != nil {
		return nil, alreadyExists(k)
	}
	if app == nil {
		app = &appData{state: State{}, users: make(map[string]*userData)}
		m.apps[k.AppName] = app
	}
	if user == nil {
		user = &userData{state: State{}, sessions: make(map[string]*storedSession)}
		app.users[k.UserID] = user
	}
	maps.Copy(app.state, initial.App)
	maps.Copy(user.state, initial.User)
	st := &storedSession{state: initial.Session, lastUpdate: m.nextUpdateTime()}
	if st.state == nil {
		st.state = State{}
	}
	user.sessions[k.ID] = st
	return view(k, app, user, st, nil), nil
}

// Get implements [Service.Get].
func (m *inMemory) Get(ctx context.Context, req *GetRequest) (*Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidArgument("nil GetRequest")
	}
	k, err := NewKey(req.AppName, req.UserID, req.SessionID, "SessionID")
	if err != nil {
		return nil, err
	}
	if req.NumRecentEvents < 0 {
		return nil, invalidArgument("NumRecentEvents is %d, want 0 (all) or more", req.NumRecentEvents)
	}

	m.mu.RLock()
	defer m.mu.RUnlock()
	app, user, st := m.lookup(k)
	if st == nil {
		return nil, notFound(k)
	}
	return view(k, app, user, st, filterEvents(st.events, req.NumRecentEvents, req.After)), nil
}

// List implements [Service.List].
func (m *inMemory) List(ctx context.Context, req *ListRequest) (*ListResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidArgument("nil ListRequest")
	}
	appName, userID := strings.TrimSpace(req.AppName), strings.TrimSpace(req.UserID)
	if appName == "" {
		return nil, invalidArgument("AppName is required")
	}

	m.mu.RLock()
	defer m.mu.RUnlock()
	resp := &ListResponse{}
	app := m.apps[appName]
	if app == nil {
		return resp, nil
	}
	for uid, user := range app.users {
		if userID != "" && uid != userID {
			continue
		}
		for id, st := range user.sessions {
			sk := Key{AppName: appName, UserID: uid, ID: id}
			resp.Sessions = append(resp.Sessions, view(sk, app, user, st, nil))
		}
	}
	slices.SortFunc(resp.Sessions, func(a, b *Session) int {
		return cmp.Or(
			b.LastUpdateTime.Compare(a.LastUpdateTime),
			cmp.Compare(a.UserID, b.UserID),
			cmp.Compare(a.ID, b.ID),
		)
	})
	return resp, nil
}

// Delete implements [Service.Delete].
func (m *inMemory) Delete(ctx context.Context, req *DeleteRequest) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if req == nil {
		return invalidArgument("nil DeleteRequest")
	}
	k, err := NewKey(req.AppName, req.UserID, req.SessionID, "SessionID")
	if err != nil {
		return err
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	app, user, st := m.lookup(k)
	if st == nil {
		return notFound(k)
	}
	delete(user.sessions, k.ID)
	// Forget users and apps that hold nothing any more, so short-lived
	// users do not grow the service forever.
	if len(user.sessions) == 0 && len(user.state) == 0 {
		delete(app.users, k.UserID)
	}
	if len(app.users) == 0 && len(app.state) == 0 {
		delete(m.apps, k.AppName)
	}
	return nil
}

// AppendEvent implements [Service.AppendEvent].
func (m *inMemory) AppendEvent(ctx context.Context, s *Session, ev *event.Event) (*event.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, invalidArgument("nil Session")
	}
	if ev == nil {
		return nil, invalidArgument("nil Event")
	}
	if ev.Partial {
		return ev, nil
	}
	k, err := NewKey(s.AppName, s.UserID, s.ID, "Session.ID")
	if err != nil {
		return nil, err
	}
	FillIdentity(ev)
	stored := storedCopy(ev)

	updated, err := m.store(k, s.LastUpdateTime, stored)
	if err != nil {
		return nil, err
	}
	s.applyEvent(ev, updated)
	return ev, nil
}

// store appends stored to the session k, applying its state delta, unless
// the session was updated after seen. It returns the new update time.
func (m *inMemory) store(k Key, seen time.Time, stored *event.Event) (time.Time, error) {
	delta := SplitState(stored.Actions.StateDelta)
	m.mu.Lock()
	defer m.mu.Unlock()
	app, user, st := m.lookup(k)
	if st == nil {
		return time.Time{}, notFound(k)
	}
	if st.lastUpdate.After(seen) {
		return time.Time{}, fmt.Errorf("%w: %v was updated at %s, after the caller's copy of %s; get it again",
			ErrStale, k, st.lastUpdate.Format(time.RFC3339Nano), seen.Format(time.RFC3339Nano))
	}
	maps.Copy(app.state, delta.App)
	maps.Copy(user.state, delta.User)
	maps.Copy(st.state, delta.Session)
	st.events = append(st.events, stored)
	st.lastUpdate = m.nextUpdateTime()
	return st.lastUpdate, nil
}

// lookup returns the stored data along k's path; missing levels are nil.
func (m *inMemory) lookup(k Key) (*appData, *userData, *storedSession) {
	app := m.apps[k.AppName]
	if app == nil {
		return nil, nil, nil
	}
	user := app.users[k.UserID]
	if user == nil {
		return app, nil, nil
	}
	return app, user, user.sessions[k.ID]
}

// nextUpdateTime returns the current time to the microsecond (the
// precision events and persistent services keep), moved forward if needed
// so that it is later than every update time handed out before. m.mu must
// be held for writing.
func (m *inMemory) nextUpdateTime() time.Time {
	t := time.Now().Truncate(time.Microsecond)
	if !t.After(m.lastUpdate) {
		t = m.lastUpdate.Add(time.Microsecond)
	}
	m.lastUpdate = t
	return t
}

// view returns a caller's copy of a stored session with the given events
// and the merged state.
func view(k Key, app *appData, user *userData, st *storedSession, events []*event.Event) *Session {
	s := &Session{
		AppName:        k.AppName,
		UserID:         k.UserID,
		ID:             k.ID,
		State:          make(State, len(app.state)+len(user.state)+len(st.state)),
		LastUpdateTime: st.lastUpdate,
	}
	for _, part := range []State{app.state, user.state, st.state} {
		for key, v := range part {
			s.State[key] = deepCopy(v)
		}
	}
	if events != nil {
		s.Events = make([]*event.Event, len(events))
		for i, ev := range events {
			s.Events[i] = cloneEvent(ev)
		}
	}
	return s
}
