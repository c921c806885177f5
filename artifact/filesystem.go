package artifact

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/genai"
)

// Filesystem returns a [Service] that keeps artifacts in files under root,
// which it creates when missing:
//
//	root/apps/APP/users/USER/sessions/SESSION/artifacts/FILE/VERSION/
//	root/apps/APP/users/USER/artifacts/FILE/VERSION/     ("user:" files)
//
// with each name escaped as in a URL path. A version's directory holds the
// part's inline bytes as they are, in "data", and the rest of the part as
// JSON, in "part.json", written last: a version exists once its part.json
// does. Several processes may share root: a version is claimed by creating
// its directory, which only one of them can.
func Filesystem(root string) (Service, error) {
	if root == "" {
		return nil, errors.New("artifact: Filesystem: empty root directory")
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("artifact: Filesystem: %w", err)
	}
	return &filesystem{root: root}, nil
}

// filesystem is the Service Filesystem returns.
type filesystem struct {
	root string
}

// Names of the files of one version.
const (
	partFile = "part.json"
	dataFile = "data"
)

// escape makes name one safe path element.
func escape(name string) string {
	e := url.PathEscape(name)
	if strings.Trim(e, ".") == "" { // ".", "..": never a parent
		e = strings.ReplaceAll(e, ".", "%2E")
	}
	return e
}

// userDir is the directory of the user of k.
func (f *filesystem) userDir(k key) string {
	return filepath.Join(f.root, "apps", escape(k.app), "users", escape(k.user))
}

// artifactsDir is the directory that holds k's artifact.
func (f *filesystem) artifactsDir(k key) string {
	if k.session == "" {
		return filepath.Join(f.userDir(k), "artifacts")
	}
	return filepath.Join(f.userDir(k), "sessions", escape(k.session), "artifacts")
}

// fileDir is the directory of the versions of k's artifact.
func (f *filesystem) fileDir(k key) string {
	return filepath.Join(f.artifactsDir(k), escape(k.file))
}

// Save implements [Service.Save].
func (f *filesystem) Save(ctx context.Context, req *SaveRequest) (*SaveResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	meta := *req.Part
	var data []byte
	if req.Part.InlineData != nil {
		blob := *req.Part.InlineData
		data, blob.Data = blob.Data, nil
		meta.InlineData = &blob
	}
	metaJSON, err := json.Marshal(&meta)
	if err != nil {
		return nil, invalidArgument("Part cannot be stored: %v", err)
	}

	dir := f.fileDir(k)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("artifact: saving %v: %w", k, err)
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		_, claimed, err := f.versions(dir)
		if err != nil {
			return nil, fmt.Errorf("artifact: saving %v: %w", k, err)
		}
		next := slices.Max(append(claimed, 0)) + 1
		vdir := filepath.Join(dir, strconv.FormatInt(next, 10))
		if err := os.Mkdir(vdir, 0o700); errors.Is(err, fs.ErrExist) {
			continue // another process claimed it first
		} else if err != nil {
			return nil, fmt.Errorf("artifact: saving %v: %w", k, err)
		}
		if req.Part.InlineData != nil {
			if err := writeFile(filepath.Join(vdir, dataFile), data); err != nil {
				return nil, fmt.Errorf("artifact: saving %v: %w", k, err)
			}
		}
		if err := writeFile(filepath.Join(vdir, partFile), metaJSON); err != nil {
			return nil, fmt.Errorf("artifact: saving %v: %w", k, err)
		}
		return &SaveResponse{Version: next}, nil
	}
}

// writeFile writes data to a temporary file beside name and renames it to
// name, so that name is never seen half written.
func writeFile(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// versions returns the complete versions in dir, oldest first, and every
// claimed one, complete or not. A missing dir has none.
func (f *filesystem) versions(dir string) (complete, claimed []int64, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		n, err := strconv.ParseInt(e.Name(), 10, 64)
		if err != nil || n <= 0 || !e.IsDir() {
			continue
		}
		claimed = append(claimed, n)
		if _, err := os.Stat(filepath.Join(dir, e.Name(), partFile)); err == nil {
			complete = append(complete, n)
		}
	}
	slices.Sort(complete)
	return complete, claimed, nil
}

// Load implements [Service.Load].
func (f *filesystem) Load(ctx context.Context, req *LoadRequest) (*LoadResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	dir := f.fileDir(k)
	version := req.Version
	if version == 0 {
		complete, _, err := f.versions(dir)
		if err != nil {
			return nil, fmt.Errorf("artifact: loading %v: %w", k, err)
		}
		if len(complete) == 0 {
			return nil, notFound(k, 0)
		}
		version = complete[len(complete)-1]
	}
	vdir := filepath.Join(dir, strconv.FormatInt(version, 10))
	metaJSON, err := os.ReadFile(filepath.Join(vdir, partFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(k, req.Version)
	}
	if err != nil {
		return nil, fmt.Errorf("artifact: loading %v: %w", k, err)
	}
	part := new(genai.Part)
	if err := json.Unmarshal(metaJSON, part); err != nil {
		return nil, fmt.Errorf("artifact: loading %v, version %d: %s is not a part's JSON: %w", k, version, partFile, err)
	}
	if part.InlineData != nil {
		if part.InlineData.Data, err = os.ReadFile(filepath.Join(vdir, dataFile)); err != nil {
			return nil, fmt.Errorf("artifact: loading %v, version %d: %w", k, version, err)
		}
	}
	return &LoadResponse{Part: part}, nil
}

// Delete implements [Service.Delete].
func (f *filesystem) Delete(ctx context.Context, req *DeleteRequest) error {
	k, err := req.check(ctx)
	if err != nil {
		return err
	}
	target := f.fileDir(k)
	if req.Version != 0 {
		target = filepath.Join(target, strconv.FormatInt(req.Version, 10))
	}
	if err := os.RemoveAll(target); err != nil {
		return fmt.Errorf("artifact: deleting %v: %w", k, err)
	}
	return nil
}

// List implements [Service.List].
func (f *filesystem) List(ctx context.Context, req *ListRequest) (*ListResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	resp := &ListResponse{}
	user := k
	user.session = ""
	for _, dir := range []string{f.artifactsDir(k), f.artifactsDir(user)} {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("artifact: listing %v: %w", k, err)
		}
		for _, e := range entries {
			name, err := url.PathUnescape(e.Name())
			if err != nil || !e.IsDir() {
				continue
			}
			complete, _, err := f.versions(filepath.Join(dir, e.Name()))
			if err != nil {
				return nil, fmt.Errorf("artifact: listing %v: %w", k, err)
			}
			if len(complete) > 0 {
				resp.FileNames = append(resp.FileNames, name)
			}
		}
	}
	slices.Sort(resp.FileNames)
	return resp, nil
}

// Versions implements [Service.Versions].
func (f *filesystem) Versions(ctx context.Context, req *VersionsRequest) (*VersionsResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	complete, _, err := f.versions(f.fileDir(k))
	if err != nil {
		return nil, fmt.Errorf("artifact: listing the versions of %v: %w", k, err)
	}
	if len(complete) == 0 {
		return nil, notFound(k, 0)
	}
	return &VersionsResponse{Versions: complete}, nil
}
