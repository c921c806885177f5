package sessiontest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
)

func testConcurrency(t *testing.T, newService NewService) {
	t.Run("RetryingWritersLoseNothing", func(t *testing.T) {
		const writers, appends = 6, 8
		svc := newService(t)
		mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})

		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := fmt.Sprintf("writer-%d", w)
				for i := range appends {
					ev := deltaEvent(fmt.Sprintf("%s/%d", key, i), map[string]any{key: float64(i)})
					for {
						s, err := svc.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: userID, SessionID: "s1"})
						if err != nil {
							t.Errorf("writer %d: Get: %v", w, err)
							return
						}
						_, err = svc.AppendEvent(t.Context(), s, ev)
						if errors.Is(err, session.ErrStale) {
							continue
						}
						if err != nil {
							t.Errorf("writer %d: AppendEvent: %v", w, err)
							return
						}
						break
					}
				}
			}()
		}
		wg.Wait()

		got := mustGet(t, svc, appName, userID, "s1")
		// Each writer's events are stored once each, in the writer's order.
		byWriter := map[string][]string{}
		for _, ev := range got.Events {
			var w, i int
			if _, err := fmt.Sscanf(ev.Text(), "writer-%d/%d", &w, &i); err != nil {
				t.Fatalf("unexpected stored event %q", ev.Text())
			}
			k := fmt.Sprintf("writer-%d", w)
			byWriter[k] = append(byWriter[k], ev.Text())
		}
		wantState := session.State{}
		for w := range writers {
			k := fmt.Sprintf("writer-%d", w)
			var want []string
			for i := range appends {
				want = append(want, fmt.Sprintf("%s/%d", k, i))
			}
			if diff := cmp.Diff(want, byWriter[k]); diff != "" {
				t.Errorf("stored events of %s (-want +got):\n%s", k, diff)
			}
			wantState[k] = float64(appends - 1)
		}
		if diff := cmpState(wantState, got.State); diff != "" {
			t.Errorf("state (-want +got):\n%s", diff)
		}
	})

	t.Run("OneOfManyCopiesWins", func(t *testing.T) {
		const copies = 8
		svc := newService(t)
		mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		values := make([]*session.Session, copies)
		for i := range values {
			values[i] = mustGet(t, svc, appName, userID, "s1")
		}

		errs := make([]error, copies)
		var wg sync.WaitGroup
		for i, s := range values {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.AppendEvent(t.Context(), s, textEvent(event.AuthorUser, fmt.Sprint(i)))
			}()
		}
		wg.Wait()

		winners := 0
		for i, err := range errs {
			switch {
			case err == nil:
				winners++
			case !errors.Is(err, session.ErrStale):
				t.Errorf("append %d: error %v, want nil or ErrStale", i, err)
			}
		}
		stored := mustGet(t, svc, appName, userID, "s1").Events
		if winners != 1 || len(stored) != 1 {
			t.Errorf("%d appends succeeded and %d events are stored, want 1 and 1", winners, len(stored))
		}
	})

	t.Run("GetOrCreateRace", func(t *testing.T) {
		const callers = 8
		svc := newService(t)
		got := make([]*session.Session, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := session.GetOrCreate(t.Context(), svc, appName, userID, "shared", session.State{"creator": float64(i)})
				if err != nil {
					t.Errorf("caller %d: GetOrCreate: %v", i, err)
					return
				}
				got[i] = s
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		for i, s := range got[1:] {
			if diff := cmpSessionIgnoringTime(got[0], s); diff != "" {
				t.Errorf("caller %d got another session than caller 0 (-0 +%d):\n%s", i+1, i+1, diff)
			}
		}
		resp, err := svc.List(t.Context(), &session.ListRequest{AppName: appName})
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if len(resp.Sessions) != 1 {
			t.Errorf("List = %d sessions, want 1", len(resp.Sessions))
		}
	})

	t.Run("IndependentSessions", func(t *testing.T) {
		const sessions, appends = 6, 8
		svc := newService(t)
		var wg sync.WaitGroup
		for i := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := svc.Create(t.Context(), &session.CreateRequest{AppName: appName, UserID: fmt.Sprint("user-", i%2), SessionID: fmt.Sprint("s", i)})
				if err != nil {
					t.Errorf("Create: %v", err)
					return
				}
				for j := range appends {
					ev := deltaEvent(fmt.Sprint(j), map[string]any{"n": float64(j), "app:last": fmt.Sprint(i)})
					if _, err := svc.AppendEvent(t.Context(), s, ev); err != nil {
						t.Errorf("session %d: AppendEvent %d: %v", i, j, err)
						return
					}
					if _, err := svc.List(t.Context(), &session.ListRequest{AppName: appName}); err != nil {
						t.Errorf("List: %v", err)
						return
					}
				}
			}()
		}
		wg.Wait()
		for i := range sessions {
			got := mustGet(t, svc, appName, fmt.Sprint("user-", i%2), fmt.Sprint("s", i))
			if len(got.Events) != appends || got.State["n"] != float64(appends-1) {
				t.Errorf("session %d: %d events, State[n] = %v; want %d and %d", i, len(got.Events), got.State["n"], appends, appends-1)
			}
		}
	})
}
