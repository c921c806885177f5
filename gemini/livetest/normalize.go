package livetest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// keyKind says how normalize treats the value of a field.
type keyKind int

const (
	plainKey  keyKind = iota
	opaqueKey         // free-form JSON (google.protobuf.Struct or Value): user data, never renamed
	mapKey            // a map with user-chosen keys: keys kept, values (schemas) normalized
	bytesKey          // bytes, base64 on the wire
	int64Key          // int64, which genai decodes only from JSON strings
	int32Key          // int32, which a client may send as a string
)

func kindOf(key string) keyKind {
	switch key {
	case "args", "response", "parametersJsonSchema", "responseJsonSchema", "default", "example", "partMetadata":
		return opaqueKey
	case "properties", "defs", "labels":
		return mapKey
	case "data", "thoughtSignature", "imageData":
		return bytesKey
	case "triggerTokens", "targetTokens":
		return int64Key
	case "prefixPaddingMs", "silenceDurationMs", "maxOutputTokens", "topK", "seed", "candidateCount", "thinkingBudget":
		return int32Key
	}
	return plainKey
}

// normalize rewrites a decoded JSON value (numbers as json.Number) into the
// canonical form genai's types decode: camelCase keys, standard padded
// base64, int64 values as strings, int32 values as numbers. path names the
// position for error messages.
func normalize(v any, path string) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, child := range v {
			key := camelCase(k)
			at := joinPath(path, key)
			switch kindOf(key) {
			case opaqueKey:
				out[key] = child
			case mapKey:
				m, ok := child.(map[string]any)
				if !ok {
					out[key] = child
					continue
				}
				nm := make(map[string]any, len(m))
				for mk, mv := range m {
					n, err := normalize(mv, at+"."+mk)
					if err != nil {
						return nil, err
					}
					nm[mk] = n
				}
				out[key] = nm
			default:
				n, err := normalizeField(key, child, at)
				if err != nil {
					return nil, err
				}
				out[key] = n
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			n, err := normalize(child, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	default:
		return v, nil
	}
}

// normalizeField normalizes the value of the field key.
func normalizeField(key string, v any, path string) (any, error) {
	switch kindOf(key) {
	case bytesKey:
		if s, ok := v.(string); ok {
			b, err := decodeBase64(s)
			if err != nil {
				return nil, fmt.Errorf("invalid value at %q: not base64: %v", path, err)
			}
			return base64.StdEncoding.EncodeToString(b), nil
		}
	case int64Key:
		if n, ok := v.(json.Number); ok {
			return n.String(), nil
		}
	case int32Key:
		if s, ok := v.(string); ok {
			if _, err := strconv.ParseInt(s, 10, 32); err == nil {
				return json.Number(s), nil
			}
		}
	}
	return normalize(v, path)
}

// decodeBase64 accepts the standard and URL-safe alphabets, with or
// without padding.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// camelCase turns snake_case into camelCase; other keys are unchanged.
func camelCase(k string) string {
	if !strings.Contains(k, "_") {
		return k
	}
	var b strings.Builder
	b.Grow(len(k))
	upper := false
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == '_' && b.Len() > 0:
			upper = true
		case upper && 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
			upper = false
		default:
			b.WriteByte(c)
			upper = false
		}
	}
	return b.String()
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
