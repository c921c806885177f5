package artifact

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/genai"
)

// Service stores artifacts: versioned files of a session, or of a user
// when their name starts with [UserPrefix]. Implementations are safe for
// concurrent use.
//
// Every method takes a context first and returns its error when it ends
// before the method is done. App names, user ids, session ids and file
// names are trimmed of surrounding space, and all are required.
type Service interface {
	// Save stores req.Part as the next version of the artifact, 1 for the
	// first, and returns that version. The service copies the part.
	Save(ctx context.Context, req *SaveRequest) (*SaveResponse, error)
	// Load returns a copy of one version of an artifact, the newest when
	// req.Version is 0. A missing artifact or version is ErrNotFound.
	Load(ctx context.Context, req *LoadRequest) (*LoadResponse, error)
	// Delete removes every version of an artifact, or only req.Version
	// when it is not 0. Deleting what does not exist is not an error.
	Delete(ctx context.Context, req *DeleteRequest) error
	// List returns the names of a session's artifacts and of its user's
	// ("user:" names), sorted.
	List(ctx context.Context, req *ListRequest) (*ListResponse, error)
	// Versions returns the versions of an artifact, oldest first. A
	// missing artifact is ErrNotFound.
	Versions(ctx context.Context, req *VersionsRequest) (*VersionsResponse, error)
}

// UserPrefix starts the name of an artifact that belongs to the user and
// is seen from every session of the user, as ADK's "user:" artifacts.
const UserPrefix = "user:"

var (
	// ErrNotFound reports that no artifact, or no such version of it, is
	// stored.
	ErrNotFound = errors.New("artifact not found")
	// ErrInvalidArgument reports a request the service cannot act on. The
	// wrapping error names what was wrong.
	ErrInvalidArgument = errors.New("artifact: invalid argument")
)

// SaveRequest asks [Service.Save] to store a new version of an artifact.
type SaveRequest struct {
	// AppName, UserID, SessionID and FileName name the artifact; all are
	// required.
	AppName, UserID, SessionID, FileName string
	// Part is the artifact: inline data (bytes and a MIME type) or text.
	Part *genai.Part
}

// SaveResponse is the result of [Service.Save].
type SaveResponse struct {
	// Version is the version the part was stored as.
	Version int64
}

// LoadRequest asks [Service.Load] for one version of an artifact.
type LoadRequest struct {
	// AppName, UserID, SessionID and FileName name the artifact; all are
	// required.
	AppName, UserID, SessionID, FileName string
	// Version is the version to load; 0 means the newest.
	Version int64
}

// LoadResponse is the result of [Service.Load].
type LoadResponse struct {
	// Part is a copy of the stored part.
	Part *genai.Part
}

// DeleteRequest asks [Service.Delete] to remove an artifact or one of its
// versions.
type DeleteRequest struct {
	// AppName, UserID, SessionID and FileName name the artifact; all are
	// required.
	AppName, UserID, SessionID, FileName string
	// Version is the version to remove; 0 means all of them.
	Version int64
}

// ListRequest asks [Service.List] for the artifacts a session sees.
type ListRequest struct {
	// AppName, UserID and SessionID name the session; all are required.
	AppName, UserID, SessionID string
}

// ListResponse is the result of [Service.List].
type ListResponse struct {
	// FileNames are the artifacts' names, sorted.
	FileNames []string
}

// VersionsRequest asks [Service.Versions] for the versions of an artifact.
type VersionsRequest struct {
	// AppName, UserID, SessionID and FileName name the artifact; all are
	// required.
	AppName, UserID, SessionID, FileName string
}

// VersionsResponse is the result of [Service.Versions].
type VersionsResponse struct {
	// Versions are the stored versions, oldest first.
	Versions []int64
}

// key identifies one artifact. For a user's artifact, session is empty.
type key struct {
	app, user, session, file string
}

// String formats k for error messages.
func (k key) String() string {
	if k.session == "" {
		return fmt.Sprintf("app %q, user %q, file %q", k.app, k.user, k.file)
	}
	return fmt.Sprintf("app %q, user %q, session %q, file %q", k.app, k.user, k.session, k.file)
}

// newKey trims and checks the names of a request and returns its key;
// file may be "" only when fileRequired is false (List). A user's
// artifact ("user:" name) gets an empty session.
func newKey(app, user, session, file string, fileRequired bool) (key, error) {
	k := key{
		app:     strings.TrimSpace(app),
		user:    strings.TrimSpace(user),
		session: strings.TrimSpace(session),
		file:    strings.TrimSpace(file),
	}
	switch {
	case k.app == "":
		return key{}, invalidArgument("AppName is required")
	case k.user == "":
		return key{}, invalidArgument("UserID is required")
	case k.session == "":
		return key{}, invalidArgument("SessionID is required")
	case fileRequired && k.file == "":
		return key{}, invalidArgument("FileName is required")
	case strings.ContainsAny(k.file, `/\`):
		return key{}, invalidArgument("FileName %q contains a path separator", k.file)
	}
	if strings.HasPrefix(k.file, UserPrefix) {
		k.session = ""
	}
	return k, nil
}

// invalidArgument returns an error wrapping ErrInvalidArgument that says
// what was wrong.
func invalidArgument(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// notFound returns an error wrapping ErrNotFound that names the artifact
// and, when not 0, the version.
func notFound(k key, version int64) error {
	if version != 0 {
		return fmt.Errorf("%w: %v, version %d", ErrNotFound, k, version)
	}
	return fmt.Errorf("%w: %v", ErrNotFound, k)
}

// checkPart reports a part that cannot be an artifact.
func checkPart(p *genai.Part) error {
	switch {
	case p == nil:
		return invalidArgument("Part is required")
	case p.InlineData == nil && p.Text == "":
		return invalidArgument("Part has neither InlineData nor Text")
	}
	return nil
}

// checkVersion reports a negative version.
func checkVersion(v int64) error {
	if v < 0 {
		return invalidArgument("Version is %d, want 0 (newest or all) or more", v)
	}
	return nil
}

// clonePart returns a deep copy of p, through its JSON form.
func clonePart(p *genai.Part) (*genai.Part, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, invalidArgument("Part cannot be stored: %v", err)
	}
	c := new(genai.Part)
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("artifact: copying the part: %w", err)
	}
	return c, nil
}
