package artifact

import (
	"context"
	"slices"
	"sync"

	"google.golang.org/genai"
)

// InMemory returns a [Service] that keeps artifacts in memory, for tests
// and single-process deployments. Everything is lost when the process
// exits. It copies parts on the way in and on the way out.
func InMemory() Service {
	return &inMemory{artifacts: make(map[key]*versions)}
}

// inMemory is the Service InMemory returns.
type inMemory struct {
	mu        sync.RWMutex
	artifacts map[key]*versions
}

// versions are the stored versions of one artifact, by version; deleted
// ones are missing. An artifact is in the map only while it has one.
type versions struct {
	parts map[int64]*genai.Part
}

// Save implements [Service.Save].
func (m *inMemory) Save(ctx context.Context, req *SaveRequest) (*SaveResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	part, err := clonePart(req.Part)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.artifacts[k]
	if v == nil {
		v = &versions{parts: make(map[int64]*genai.Part)}
		m.artifacts[k] = v
	}
	next := v.newest() + 1
	v.parts[next] = part
	return &SaveResponse{Version: next}, nil
}

// Load implements [Service.Load].
func (m *inMemory) Load(ctx context.Context, req *LoadRequest) (*LoadResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	v := m.artifacts[k]
	if v == nil {
		return nil, notFound(k, 0)
	}
	version := req.Version
	if version == 0 {
		version = v.newest()
	}
	part := v.parts[version]
	if part == nil {
		return nil, notFound(k, req.Version)
	}
	c, err := clonePart(part)
	if err != nil {
		return nil, err
	}
	return &LoadResponse{Part: c}, nil
}

// Delete implements [Service.Delete].
func (m *inMemory) Delete(ctx context.Context, req *DeleteRequest) error {
	k, err := req.check(ctx)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.artifacts[k]
	if v == nil {
		return nil
	}
	delete(v.parts, req.Version)
	if req.Version == 0 || len(v.parts) == 0 {
		delete(m.artifacts, k)
	}
	return nil
}

// List implements [Service.List].
func (m *inMemory) List(ctx context.Context, req *ListRequest) (*ListResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	resp := &ListResponse{}
	for ak := range m.artifacts {
		if ak.app == k.app && ak.user == k.user && (ak.session == k.session || ak.session == "") {
			resp.FileNames = append(resp.FileNames, ak.file)
		}
	}
	slices.Sort(resp.FileNames)
	return resp, nil
}

// Versions implements [Service.Versions].
func (m *inMemory) Versions(ctx context.Context, req *VersionsRequest) (*VersionsResponse, error) {
	k, err := req.check(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	v := m.artifacts[k]
	if v == nil {
		return nil, notFound(k, 0)
	}
	return &VersionsResponse{Versions: v.sorted()}, nil
}

// sorted returns the stored versions, oldest first.
func (v *versions) sorted() []int64 {
	out := make([]int64, 0, len(v.parts))
	for n := range v.parts {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// newest returns the newest stored version, 0 if none.
func (v *versions) newest() int64 {
	var n int64
	for version := range v.parts {
		n = max(n, version)
	}
	return n
}
