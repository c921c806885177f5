package sessiontest

import (
	"context"
	"errors"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
)

func testContext(t *testing.T, newService NewService) {
	svc := newService(t)
	s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
	before := mustGet(t, svc, appName, userID, "s1")
	ctx := cancelledContext(t)

	for _, c := range []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Create", func(ctx context.Context) error {
			_, err := svc.Create(ctx, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s2"})
			return err
		}},
		{"Get", func(ctx context.Context) error {
			_, err := svc.Get(ctx, &session.GetRequest{AppName: appName, UserID: userID, SessionID: "s1"})
			return err
		}},
		{"List", func(ctx context.Context) error {
			_, err := svc.List(ctx, &session.ListRequest{AppName: appName})
			return err
		}},
		{"Delete", func(ctx context.Context) error {
			return svc.Delete(ctx, &session.DeleteRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		}},
		{"AppendEvent", func(ctx context.Context) error {
			_, err := svc.AppendEvent(ctx, s, textEvent(event.AuthorUser, "too late"))
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: error %v, want context.Canceled", c.name, err)
			}
		})
	}

	// Nothing a cancelled call was asked to do happened.
	if diff := diffSession(before, mustGet(t, svc, appName, userID, "s1")); diff != "" {
		t.Errorf("cancelled calls changed the session (-want +got):\n%s", diff)
	}
	if _, err := svc.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: userID, SessionID: "s2"}); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Get of the session a cancelled Create asked for: error %v, want ErrNotFound", err)
	}
}
