package artifact

import "context"

// The checks every Service method makes before it acts, shared by the
// implementations: ctx not done, a request, its names, and its part or
// version. Each returns the artifact's key.

func (r *SaveRequest) check(ctx context.Context) (key, error) {
	if err := ctx.Err(); err != nil {
		return key{}, err
	}
	if r == nil {
		return key{}, invalidArgument("nil SaveRequest")
	}
	k, err := newKey(r.AppName, r.UserID, r.SessionID, r.FileName, true)
	if err != nil {
		return key{}, err
	}
	return k, checkPart(r.Part)
}

func (r *LoadRequest) check(ctx context.Context) (key, error) {
	if err := ctx.Err(); err != nil {
		return key{}, err
	}
	if r == nil {
		return key{}, invalidArgument("nil LoadRequest")
	}
	k, err := newKey(r.AppName, r.UserID, r.SessionID, r.FileName, true)
	if err != nil {
		return key{}, err
	}
	return k, checkVersion(r.Version)
}

func (r *DeleteRequest) check(ctx context.Context) (key, error) {
	if err := ctx.Err(); err != nil {
		return key{}, err
	}
	if r == nil {
		return key{}, invalidArgument("nil DeleteRequest")
	}
	k, err := newKey(r.AppName, r.UserID, r.SessionID, r.FileName, true)
	if err != nil {
		return key{}, err
	}
	return k, checkVersion(r.Version)
}

func (r *ListRequest) check(ctx context.Context) (key, error) {
	if err := ctx.Err(); err != nil {
		return key{}, err
	}
	if r == nil {
		return key{}, invalidArgument("nil ListRequest")
	}
	return newKey(r.AppName, r.UserID, r.SessionID, "", false)
}

func (r *VersionsRequest) check(ctx context.Context) (key, error) {
	if err := ctx.Err(); err != nil {
		return key{}, err
	}
	if r == nil {
		return key{}, invalidArgument("nil VersionsRequest")
	}
	return newKey(r.AppName, r.UserID, r.SessionID, r.FileName, true)
}
