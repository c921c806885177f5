package tool_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/artifact"
	"github.com/adklive/adklive/tool"
)

// A Context's Artifacts save and load under the call's app, user and
// session, record each save in Actions().ArtifactDelta, and list what the
// session sees.
func TestContextArtifacts(t *testing.T) {
	svc := artifact.InMemory()
	tc := tool.NewContext(t.Context(), tool.CallInfo{FunctionCallID: "c1",
		ArtifactService: svc, AppName: "app", UserID: "u", SessionID: "s"})
	a := tc.Artifacts()
	for i, text := range []string{"one", "two"} {
		v, err := a.Save(tc, "note.txt", genai.NewPartFromText(text))
		if err != nil {
			t.Fatalf("Save %d: %v", i+1, err)
		}
		if v != int64(i+1) {
			t.Errorf("Save %d returned version %d, want %d", i+1, v, i+1)
		}
	}
	if _, err := a.Save(tc, "user:profile", genai.NewPartFromText("p")); err != nil {
		t.Fatalf("Save user:profile: %v", err)
	}
	if diff := cmp.Diff(map[string]int64{"note.txt": 2, "user:profile": 1}, tc.Actions().ArtifactDelta); diff != "" {
		t.Errorf("ArtifactDelta (-want +got):\n%s", diff)
	}
	for v, want := range map[int64]string{0: "two", 1: "one", 2: "two"} {
		p, err := a.Load(tc, "note.txt", v)
		if err != nil {
			t.Fatalf("Load version %d: %v", v, err)
		}
		if p.Text != want {
			t.Errorf("Load version %d = %q, want %q", v, p.Text, want)
		}
	}
	if _, err := a.Load(tc, "missing.txt", 0); !errors.Is(err, artifact.ErrNotFound) {
		t.Errorf("Load of a missing artifact: %v, want artifact.ErrNotFound", err)
	}
	names, err := a.List(tc)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if diff := cmp.Diff([]string{"note.txt", "user:profile"}, names); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	got, err := svc.Load(t.Context(), &artifact.LoadRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "note.txt", Version: 1})
	if err != nil || got.Part.Text != "one" {
		t.Errorf("the service's version 1 = %v, %v; want text %q", got, err, "one")
	}
}

// A failed save records nothing, and its error says what was wrong.
func TestContextArtifactsSaveFails(t *testing.T) {
	tc := tool.NewContext(t.Context(), tool.CallInfo{ArtifactService: artifact.InMemory(),
		AppName: "app", UserID: "u", SessionID: "s"})
	_, err := tc.Artifacts().Save(tc, "empty", &genai.Part{})
	if !errors.Is(err, artifact.ErrInvalidArgument) {
		t.Errorf("Save of an empty part: %v, want artifact.ErrInvalidArgument", err)
	}
	if tc.Actions().ArtifactDelta != nil {
		t.Errorf("ArtifactDelta after a failed save = %v, want nil", tc.Actions().ArtifactDelta)
	}
}

// Without an artifact service, every method fails with
// tool.ErrNoArtifactService.
func TestContextArtifactsWithoutService(t *testing.T) {
	tc := tool.NewContext(t.Context(), tool.CallInfo{AppName: "app", UserID: "u", SessionID: "s"})
	a := tc.Artifacts()
	_, errSave := a.Save(tc, "n", genai.NewPartFromText("x"))
	_, errLoad := a.Load(tc, "n", 0)
	_, errList := a.List(tc)
	for name, err := range map[string]error{"Save": errSave, "Load": errLoad, "List": errList} {
		if !errors.Is(err, tool.ErrNoArtifactService) {
			t.Errorf("%s: %v, want tool.ErrNoArtifactService", name, err)
		}
	}
	if tc.Actions().ArtifactDelta != nil {
		t.Errorf("ArtifactDelta = %v, want nil", tc.Actions().ArtifactDelta)
	}
}
