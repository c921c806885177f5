package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// findEnvFile resolves the -env flag to the .env file to load, or "" for
// none. "auto" takes the first .env found in the current directory, beside
// the executable, and beside this source file (which is where `go run
// ./examples/bidi-demo` users put it, as in ADK's demo); a missing file is
// not an error then. An explicit path must exist.
func findEnvFile(flagValue string) (string, error) {
	switch flagValue {
	case "", "none":
		return "", nil
	case envAuto:
		var dirs []string
		if wd, err := os.Getwd(); err == nil {
			dirs = append(dirs, wd)
		}
		if exe, err := os.Executable(); err == nil {
			dirs = append(dirs, filepath.Dir(exe))
		}
		if _, src, _, ok := runtime.Caller(0); ok && filepath.IsAbs(src) {
			dirs = append(dirs, filepath.Dir(src))
		}
		for _, d := range dirs {
			f := filepath.Join(d, ".env")
			if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
				return f, nil
			}
		}
		return "", nil
	}
	if _, err := os.Stat(flagValue); err != nil {
		return "", fmt.Errorf("-env: %w", err)
	}
	return flagValue, nil
}

// The .env parser is our own rather than github.com/joho/godotenv, which
// parses the same files the same way but, in v1.5.1, reports a bad line
// without its line number and with the value quoted in the message (an
// API key, for this file), and accepts names such as 1BAD that no shell
// could export. A .env error here names the file and line, never a value.

// loadDotEnv reads KEY=VALUE lines from file and sets each variable that
// lookup reports unset, the python-dotenv default. It returns how many it
// set. Blank lines and lines starting with # are skipped; "export " before
// a key is allowed; a value may be single-quoted (taken literally),
// double-quoted (with \n, \t, \" and \\ escapes) or bare (a " #" starts a
// comment). Errors name the file and line, never a value.
func loadDotEnv(file string, lookup func(string) (string, bool), set func(key, value string) error) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		key, value, ok, err := parseEnvLine(sc.Text())
		if err != nil {
			return n, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		if !ok {
			continue
		}
		if _, present := lookup(key); present {
			continue
		}
		if err := set(key, value); err != nil {
			return n, fmt.Errorf("%s:%d: setting %s: %w", file, line, key, err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("%s: %w", file, err)
	}
	return n, nil
}

// errEnvSyntax is wrapped by the errors parseEnvLine returns.
var errEnvSyntax = errors.New("bad .env line")

// parseEnvLine parses one line of a .env file. ok is false for blank and
// comment lines.
func parseEnvLine(line string) (key, value string, ok bool, err error) {
	s := strings.TrimSpace(line)
	if s == "" || strings.HasPrefix(s, "#") {
		return "", "", false, nil
	}
	s = strings.TrimPrefix(s, "export ")
	key, rest, found := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !found {
		return "", "", false, fmt.Errorf("%w: want KEY=VALUE", errEnvSyntax)
	}
	if !validEnvKey(key) {
		return "", "", false, fmt.Errorf("%w: %q is not a variable name (letters, digits and _, not starting with a digit)", errEnvSyntax, key)
	}
	rest = strings.TrimSpace(rest)
	switch {
	case strings.HasPrefix(rest, "'"):
		end := strings.Index(rest[1:], "'")
		if end < 0 {
			return "", "", false, fmt.Errorf("%w: the value of %s has no closing single quote", errEnvSyntax, key)
		}
		value, rest = rest[1:1+end], rest[2+end:]
	case strings.HasPrefix(rest, `"`):
		end := closingQuote(rest)
		if end < 0 {
			return "", "", false, fmt.Errorf("%w: the value of %s has no closing double quote", errEnvSyntax, key)
		}
		v, uerr := strconv.Unquote(rest[:end+1])
		if uerr != nil {
			return "", "", false, fmt.Errorf("%w: the value of %s has a bad escape", errEnvSyntax, key)
		}
		value, rest = v, rest[end+1:]
	default:
		if i := strings.Index(rest, " #"); i >= 0 {
			rest = rest[:i]
		}
		return key, strings.TrimSpace(rest), true, nil
	}
	if rest = strings.TrimSpace(rest); rest != "" && !strings.HasPrefix(rest, "#") {
		return "", "", false, fmt.Errorf("%w: unexpected text after the quoted value of %s", errEnvSyntax, key)
	}
	return key, value, true, nil
}

// closingQuote returns the index of the double quote that closes the one
// at s[0], skipping escaped characters, or -1.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

func validEnvKey(k string) bool {
	if k == "" || ('0' <= k[0] && k[0] <= '9') {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
