package artifact

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"
)

// services are the implementations every test runs on, each fresh.
func services(t *testing.T) map[string]Service {
	fsys, err := Filesystem(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return map[string]Service{"InMemory": InMemory(), "Filesystem": fsys}
}

// audio returns an inline part holding every byte value, tagged by n.
func audio(n byte) *genai.Part {
	data := make([]byte, 257)
	for i := range 256 {
		data[i] = byte(i)
	}
	data[256] = n
	return &genai.Part{InlineData: &genai.Blob{MIMEType: "audio/wav", Data: data, DisplayName: "turn"}}
}

func TestSaveLoadVersions(t *testing.T) {
	for name, svc := range services(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			for i, p := range []*genai.Part{audio(1), {Text: "second"}, audio(3)} {
				resp, err := svc.Save(ctx, &SaveRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: " turn.wav ", Part: p})
				if err != nil {
					t.Fatalf("Save %d: %v", i, err)
				}
				if resp.Version != int64(i+1) {
					t.Errorf("Save %d: version %d, want %d", i, resp.Version, i+1)
				}
			}
			for _, c := range []struct {
				version int64
				want    *genai.Part
			}{{0, audio(3)}, {1, audio(1)}, {2, &genai.Part{Text: "second"}}, {3, audio(3)}} {
				got, err := svc.Load(ctx, &LoadRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "turn.wav", Version: c.version})
				if err != nil {
					t.Fatalf("Load version %d: %v", c.version, err)
				}
				if diff := cmp.Diff(c.want, got.Part); diff != "" {
					t.Errorf("Load version %d (-want +got):\n%s", c.version, diff)
				}
			}
			vs, err := svc.Versions(ctx, &VersionsRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "turn.wav"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{1, 2, 3}, vs.Versions); diff != "" {
				t.Errorf("Versions (-want +got):\n%s", diff)
			}
			if _, err := svc.Load(ctx, &LoadRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "turn.wav", Version: 9}); !errors.Is(err, ErrNotFound) {
				t.Errorf("Load of version 9: error %v, want ErrNotFound", err)
			}
		})
	}
}

func TestCopies(t *testing.T) {
	for name, svc := range services(t) {
		t.Run(name, func(t *testing.T) {
			p := audio(1)
			if _, err := svc.Save(t.Context(), &SaveRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f", Part: p}); err != nil {
				t.Fatal(err)
			}
			p.InlineData.Data[0] = 99
			got, err := svc.Load(t.Context(), &LoadRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f"})
			if err != nil {
				t.Fatal(err)
			}
			got.Part.InlineData.Data[1] = 99
			again, err := svc.Load(t.Context(), &LoadRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(audio(1), again.Part); diff != "" {
				t.Errorf("stored part changed through a caller's copy (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScopesAndList(t *testing.T) {
	for name, svc := range services(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			for _, r := range []SaveRequest{
				{AppName: "app", UserID: "u", SessionID: "s1", FileName: "b.txt"},
				{AppName: "app", UserID: "u", SessionID: "s1", FileName: "a.txt"},
				{AppName: "app", UserID: "u", SessionID: "s1", FileName: "user:profile"},
				{AppName: "app", UserID: "u", SessionID: "s2", FileName: "c.txt"},
				{AppName: "app", UserID: "u2", SessionID: "s1", FileName: "d.txt"},
				{AppName: "app", UserID: "u", SessionID: "s1", FileName: ".."},
			} {
				r.Part = &genai.Part{Text: r.FileName}
				if _, err := svc.Save(ctx, &r); err != nil {
					t.Fatalf("Save(%s): %v", r.FileName, err)
				}
			}
			for _, c := range []struct {
				user, session string
				want          []string
			}{
				{"u", "s1", []string{"..", "a.txt", "b.txt", "user:profile"}},
				{"u", "s2", []string{"c.txt", "user:profile"}},
				{"u2", "s1", []string{"d.txt"}},
				{"u3", "s1", nil},
			} {
				got, err := svc.List(ctx, &ListRequest{AppName: "app", UserID: c.user, SessionID: c.session})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, got.FileNames); diff != "" {
					t.Errorf("List(%s, %s) (-want +got):\n%s", c.user, c.session, diff)
				}
			}
			// A user's artifact is the same from every session.
			got, err := svc.Load(ctx, &LoadRequest{AppName: "app", UserID: "u", SessionID: "s2", FileName: "user:profile"})
			if err != nil || got.Part.Text != "user:profile" {
				t.Errorf("Load of the user's artifact from another session: %v, %v", got, err)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	for name, svc := range services(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			for i := range 3 {
				if _, err := svc.Save(ctx, &SaveRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f", Part: &genai.Part{Text: fmt.Sprint(i + 1)}}); err != nil {
					t.Fatal(err)
				}
			}
			if err := svc.Delete(ctx, &DeleteRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f", Version: 2}); err != nil {
				t.Fatal(err)
			}
			vs, err := svc.Versions(ctx, &VersionsRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f"})
			if err != nil || !cmp.Equal([]int64{1, 3}, vs.Versions) {
				t.Errorf("Versions after deleting 2: %v, %v; want [1 3]", vs, err)
			}
			if err := svc.Delete(ctx, &DeleteRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f"}); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Versions(ctx, &VersionsRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f"}); !errors.Is(err, ErrNotFound) {
				t.Errorf("Versions after deleting all: error %v, want ErrNotFound", err)
			}
			if _, err := svc.Load(ctx, &LoadRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f"}); !errors.Is(err, ErrNotFound) {
				t.Errorf("Load after deleting all: error %v, want ErrNotFound", err)
			}
			if err := svc.Delete(ctx, &DeleteRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "missing"}); err != nil {
				t.Errorf("Delete of a missing artifact: %v, want nil", err)
			}
		})
	}
}

func TestConcurrentSavesGetDistinctVersions(t *testing.T) {
	for name, svc := range services(t) {
		t.Run(name, func(t *testing.T) {
			const writers = 8
			var wg sync.WaitGroup
			seen := make([]int64, writers)
			for i := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, err := svc.Save(t.Context(), &SaveRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f", Part: &genai.Part{Text: "x"}})
					if err != nil {
						t.Errorf("Save: %v", err)
						return
					}
					seen[i] = resp.Version
				}()
			}
			wg.Wait()
			vs, err := svc.Versions(t.Context(), &VersionsRequest{AppName: "app", UserID: "u", SessionID: "s", FileName: "f"})
			if err != nil || len(vs.Versions) != writers {
				t.Errorf("Versions: %v, %v; want %d", vs, err, writers)
			}
		})
	}
}

func TestInvalidArgument(t *testing.T) {
	for name, svc := range services(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			for _, c := range []struct {
				name, want string
				call       func() error
			}{
				{"NoApp", "AppName", func() error {
					_, err := svc.Save(ctx, &SaveRequest{UserID: "u", SessionID: "s", FileName: "f", Part: &genai.Part{Text: "x"}})
					return err
				}},
				{"NoSession", "SessionID", func() error {
					_, err := svc.List(ctx, &ListRequest{AppName: "a", UserID: "u"})
					return err
				}},
				{"PathInName", "path separator", func() error {
					_, err := svc.Save(ctx, &SaveRequest{AppName: "a", UserID: "u", SessionID: "s", FileName: "../x", Part: &genai.Part{Text: "x"}})
					return err
				}},
				{"EmptyPart", "neither InlineData nor Text", func() error {
					_, err := svc.Save(ctx, &SaveRequest{AppName: "a", UserID: "u", SessionID: "s", FileName: "f", Part: &genai.Part{}})
					return err
				}},
				{"NegativeVersion", "Version", func() error {
					_, err := svc.Load(ctx, &LoadRequest{AppName: "a", UserID: "u", SessionID: "s", FileName: "f", Version: -1})
					return err
				}},
				{"NilRequest", "VersionsRequest", func() error {
					_, err := svc.Versions(ctx, nil)
					return err
				}},
			} {
				t.Run(c.name, func(t *testing.T) {
					err := c.call()
					if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), c.want) {
						t.Errorf("error %v, want ErrInvalidArgument naming %q", err, c.want)
					}
				})
			}
		})
	}
}
