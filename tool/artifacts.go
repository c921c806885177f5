package tool

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/genai"

	"github.com/adklive/adklive/artifact"
)

// ErrNoArtifactService is matched by the errors of a Context's Artifacts
// when the run has no artifact service: set runner.Config.ArtifactService
// (for example artifact.InMemory()) to give tools artifacts.
var ErrNoArtifactService = errors.New("tool: no artifact service: set runner.Config.ArtifactService (for example artifact.InMemory())")

// Artifacts are the artifacts of the session a call runs in: versioned
// files the tool saves and loads through the run's artifact service,
// scoped to the run's app, user and session. Names starting with
// artifact.UserPrefix ("user:") belong to the user and are seen from
// every session of the user. Without an artifact service every method
// returns an error matching ErrNoArtifactService.
type Artifacts interface {
	// Save stores part (inline data or text) as the next version of the
	// artifact name and returns that version. It records name and version
	// in the call's Actions().ArtifactDelta, which the response event
	// carries. Like Actions, it must not be used after Run returns, nor
	// from two goroutines at once.
	Save(ctx context.Context, name string, part *genai.Part) (version int64, err error)
	// Load returns one version of the artifact name, the newest when
	// version is 0. A missing artifact or version matches
	// artifact.ErrNotFound.
	Load(ctx context.Context, name string, version int64) (*genai.Part, error)
	// List returns the names of the artifacts the session sees, sorted.
	List(ctx context.Context) ([]string, error)
}

// callArtifacts is the Artifacts of one call.
type callArtifacts struct{ c *callContext }

func (a callArtifacts) service() (artifact.Service, error) {
	if a.c.info.ArtifactService == nil {
		return nil, ErrNoArtifactService
	}
	return a.c.info.ArtifactService, nil
}

func (a callArtifacts) Save(ctx context.Context, name string, part *genai.Part) (int64, error) {
	svc, err := a.service()
	if err != nil {
		return 0, fmt.Errorf("saving artifact %q: %w", name, err)
	}
	i := a.c.info
	resp, err := svc.Save(ctx, &artifact.SaveRequest{AppName: i.AppName, UserID: i.UserID, SessionID: i.SessionID, FileName: name, Part: part})
	if err != nil {
		return 0, fmt.Errorf("saving artifact %q: %w", name, err)
	}
	if a.c.actions.ArtifactDelta == nil {
		a.c.actions.ArtifactDelta = make(map[string]int64)
	}
	a.c.actions.ArtifactDelta[name] = resp.Version
	return resp.Version, nil
}

func (a callArtifacts) Load(ctx context.Context, name string, version int64) (*genai.Part, error) {
	svc, err := a.service()
	if err != nil {
		return nil, fmt.Errorf("loading artifact %q: %w", name, err)
	}
	i := a.c.info
	resp, err := svc.Load(ctx, &artifact.LoadRequest{AppName: i.AppName, UserID: i.UserID, SessionID: i.SessionID, FileName: name, Version: version})
	if err != nil {
		return nil, fmt.Errorf("loading artifact %q: %w", name, err)
	}
	return resp.Part, nil
}

func (a callArtifacts) List(ctx context.Context) ([]string, error) {
	svc, err := a.service()
	if err != nil {
		return nil, fmt.Errorf("listing artifacts: %w", err)
	}
	i := a.c.info
	resp, err := svc.List(ctx, &artifact.ListRequest{AppName: i.AppName, UserID: i.UserID, SessionID: i.SessionID})
	if err != nil {
		return nil, fmt.Errorf("listing artifacts: %w", err)
	}
	return resp.FileNames, nil
}
