package database

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/adklive/adklive/session"
)

// rawState is one scope's state as stored: each key's value as JSON.
type rawState map[string][]byte

// List implements [session.Service.List]. It reads the sessions and the
// state of each scope in four queries, whatever the number of sessions.
func (s *Service) List(ctx context.Context, req *session.ListRequest) (*session.ListResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidArgument("nil ListRequest")
	}
	app, user := strings.TrimSpace(req.AppName), strings.TrimSpace(req.UserID)
	if app == "" {
		return nil, invalidArgument("AppName is required")
	}
	args := []any{app}
	listSessions, userStates, sessionStates := s.q.listSessions, s.q.listUserStates, s.q.listSessionStates
	if user != "" {
		args = append(args, user)
		listSessions, userStates, sessionStates = s.q.listUserSessions, s.q.listUserStatesOfUser, s.q.listSessionStatesUser
	}

	type row struct {
		user, id string
		updated  int64
	}
	var sessions []row
	if err := s.scan(ctx, listSessions, args, func(scan func(...any) error) error {
		var r row
		err := scan(&r.user, &r.id, &r.updated)
		sessions = append(sessions, r)
		return err
	}); err != nil {
		return nil, fmt.Errorf("listing the sessions of app %q: %w", app, err)
	}
	resp := &session.ListResponse{}
	if len(sessions) == 0 {
		return resp, nil
	}

	appState := rawState{}
	byUser := map[string]rawState{}
	bySession := map[[2]string]rawState{}
	err := s.scan(ctx, s.q.appState, []any{app}, func(scan func(...any) error) error {
		var k string
		var v []byte
		err := scan(&k, &v)
		appState[k] = v
		return err
	})
	if err == nil {
		err = s.scan(ctx, userStates, args, func(scan func(...any) error) error {
			var u, k string
			var v []byte
			err := scan(&u, &k, &v)
			if byUser[u] == nil {
				byUser[u] = rawState{}
			}
			byUser[u][k] = v
			return err
		})
	}
	if err == nil {
		err = s.scan(ctx, sessionStates, args, func(scan func(...any) error) error {
			var u, id, k string
			var v []byte
			err := scan(&u, &id, &k, &v)
			sk := [2]string{u, id}
			if bySession[sk] == nil {
				bySession[sk] = rawState{}
			}
			bySession[sk][k] = v
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("listing the state of the sessions of app %q: %w", app, err)
	}

	for _, r := range sessions {
		// Each session decodes its own copy: no two share memory.
		state := session.State{}
		for _, part := range []rawState{appState, byUser[r.user], bySession[[2]string{r.user, r.id}]} {
			for k, v := range part {
				if err := decodeValue(state, k, v); err != nil {
					return nil, fmt.Errorf("session %v: %w", session.Key{AppName: app, UserID: r.user, ID: r.id}, err)
				}
			}
		}
		resp.Sessions = append(resp.Sessions, &session.Session{
			AppName: app, UserID: r.user, ID: r.id, State: state, LastUpdateTime: fromMicros(r.updated),
		})
	}
	// Sorted here rather than by the database, whose text collation may
	// not order as Go compares strings.
	slices.SortFunc(resp.Sessions, func(a, b *session.Session) int {
		return cmp.Or(
			b.LastUpdateTime.Compare(a.LastUpdateTime),
			cmp.Compare(a.UserID, b.UserID),
			cmp.Compare(a.ID, b.ID),
		)
	})
	return resp, nil
}

// scan runs query and calls each for every row with the row's Scan.
func (s *Service) scan(ctx context.Context, query string, args []any, each func(scan func(...any) error) error) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
