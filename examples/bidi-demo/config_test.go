package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConfigFromFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil,
			config{addr: "127.0.0.1:8000", model: defaultModel, maxFrame: defaultMaxFrame, envFile: envAuto}},
		{"PORT", nil, map[string]string{"PORT": "9090"},
			config{addr: "127.0.0.1:9090", model: defaultModel, maxFrame: defaultMaxFrame, envFile: envAuto}},
		{"-addr wins over PORT", []string{"-addr", "127.0.0.1:7000"}, map[string]string{"PORT": "9090"},
			config{addr: "127.0.0.1:7000", model: defaultModel, maxFrame: defaultMaxFrame, envFile: envAuto}},
		{"-addr exposes", []string{"-addr", "0.0.0.0:8000"}, nil,
			config{addr: "0.0.0.0:8000", model: defaultModel, maxFrame: defaultMaxFrame, envFile: envAuto}},
		{"DEMO_AGENT_MODEL", nil, map[string]string{"DEMO_AGENT_MODEL": " gemini-live-2.5-flash "},
			config{addr: "127.0.0.1:8000", model: "gemini-live-2.5-flash", maxFrame: defaultMaxFrame, envFile: envAuto}},
		{"everything", []string{"-simulator", "-v", "-env", "none", "-max-frame", "2048", "-allow-origins", "a.example, *.b.example,", "-model", "m"}, nil,
			config{addr: "127.0.0.1:8000", model: "m", simulate: true, verbose: true, envFile: "none", maxFrame: 2048,
				allowedOrigins: []string{"a.example", "*.b.example"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseFlags(tt.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if err := cfg.applyEnvironment(func(k string) string { return tt.env[k] }); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *cfg, cmp.AllowUnexported(config{})); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadConfigIsNamed(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-allow-origins", "[bad"}, nil, `bad pattern "[bad"`},
		{[]string{"-max-frame", "10"}, nil, "-max-frame 10 is too small"},
		{[]string{"extra"}, nil, "unexpected arguments"},
		{[]string{"-addr", "8000"}, nil, `-addr "8000": want HOST:PORT`},
		{nil, map[string]string{"PORT": "80:80"}, `PORT "80:80" is not a port number`},
		{nil, map[string]string{"PORT": "0.0.0.0:8000"}, "use -addr HOST:PORT"},
		{nil, map[string]string{"PORT": "70000"}, `PORT "70000" is not a port number`},
	}
	for _, tt := range tests {
		cfg, err := parseFlags(tt.args, io.Discard)
		if err == nil {
			err = cfg.applyEnvironment(func(k string) string { return tt.env[k] })
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("args %q env %v: error %v, want one containing %q", tt.args, tt.env, err, tt.want)
		}
	}
}

func TestDotEnv(t *testing.T) {
	file := filepath.Join(t.TempDir(), ".env")
	content := strings.Join([]string{
		"# comment",
		"",
		"GOOGLE_API_KEY=abc123 # trailing comment",
		"export DEMO_AGENT_MODEL='gemini-live-2.5-flash'",
		`QUOTED="two\nlines # not a comment"`,
		"ALREADY_SET=from-file",
		"EMPTY=",
		"  SPACED  =  value  ",
	}, "\n")
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ALREADY_SET": "from-environment"}
	n, err := loadDotEnv(file,
		func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		func(k, v string) error { env[k] = v; return nil })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"GOOGLE_API_KEY":   "abc123",
		"DEMO_AGENT_MODEL": "gemini-live-2.5-flash",
		"QUOTED":           "two\nlines # not a comment",
		"ALREADY_SET":      "from-environment",
		"EMPTY":            "",
		"SPACED":           "value",
	}
	if diff := cmp.Diff(want, env); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
	if n != 5 {
		t.Errorf("loadDotEnv set %d variables, want 5", n)
	}
}

func TestDotEnvErrorsNameTheLineNotTheValue(t *testing.T) {
	tests := []struct {
		line string
		want string
	}{
		{"no equals sign", "want KEY=VALUE"},
		{"1BAD=x", `"1BAD" is not a variable name`},
		{"KEY='secret-value", "no closing single quote"},
		{`KEY="secret-value`, "no closing double quote"},
		{`KEY="secret" value`, "unexpected text"},
	}
	for _, tt := range tests {
		file := filepath.Join(t.TempDir(), ".env")
		if err := os.WriteFile(file, []byte("OK=1\n"+tt.line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadDotEnv(file, func(string) (string, bool) { return "", false }, func(string, string) error { return nil })
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), ":2:") {
			t.Errorf("%q: error %v, want line 2 and %q", tt.line, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: error %q shows the value", tt.line, err)
		}
	}
}

func TestFindEnvFile(t *testing.T) {
	if f, err := findEnvFile("none"); f != "" || err != nil {
		t.Errorf(`findEnvFile("none") = %q, %v`, f, err)
	}
	if _, err := findEnvFile(filepath.Join(t.TempDir(), "missing.env")); err == nil {
		t.Error("an explicit missing file is not an error")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(".env", []byte("X=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err := findEnvFile(envAuto); err != nil || f != filepath.Join(dir, ".env") {
		t.Errorf("findEnvFile(auto) = %q, %v; want the working directory's .env", f, err)
	}
}

func FuzzParseEnvLine(f *testing.F) {
	for _, s := range []string{"A=1", "export B='x y'", `C="a\nb" # c`, "# x", "", "=", "D", `E="`, "F=g #h", "1=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		key, _, ok, err := parseEnvLine(line)
		if ok && (err != nil || !validEnvKey(key)) {
			t.Fatalf("parseEnvLine(%q) = key %q, ok, err %v", line, key, err)
		}
	})
}
