package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path"
	"strconv"
	"strings"
)

// defaultModel is the model of ADK's demo.
const defaultModel = "gemini-2.5-flash-native-audio-preview-12-2025"

// defaultMaxFrame bounds one client frame: a camera snapshot, base64 in
// JSON, is a few hundred kilobytes; an audio chunk a few kilobytes.
const defaultMaxFrame = 4 << 20

// defaultHost is where the demo listens unless -addr says otherwise: the
// loopback interface, so only this machine can reach it. The demo has no
// authentication, and with real credentials whoever reaches it talks to
// Gemini on the owner's account.
const defaultHost = "127.0.0.1"

// defaultPort is the port of ADK's demo.
const defaultPort = "8000"

// envAuto is the -env value that searches the usual places for .env.
const envAuto = "auto"

// config is the demo's resolved configuration.
type config struct {
	addr           string   // listen address
	model          string   // model name
	simulate       bool     // use the simulator even with credentials
	allowedOrigins []string // extra WebSocket origin patterns
	maxFrame       int64    // largest client frame, in bytes
	envFile        string   // envAuto, "" / "none" for none, or a path
	verbose        bool     // debug logging
	team           bool     // run the team of agents instead of search_agent
}

// parseFlags reads the command line. The address and the model come from
// the environment when the flags leave them unset, so parseFlags must run
// after the .env file is loaded (see loadConfig).
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("bidi-demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "", "listen address HOST:PORT (default "+defaultHost+":"+defaultPort+", or "+defaultHost+":$PORT); 0.0.0.0:PORT makes the demo reachable from other machines")
	fs.StringVar(&cfg.model, "model", "", "model name (default $DEMO_AGENT_MODEL, or "+defaultModel+")")
	fs.BoolVar(&cfg.simulate, "simulator", false, "use the local Live simulator even when credentials are configured")
	origins := fs.String("allow-origins", "", "extra origins allowed to open the WebSocket: comma-separated host patterns (path.Match syntax), e.g. \"example.com,*.example.org\"")
	fs.Int64Var(&cfg.maxFrame, "max-frame", defaultMaxFrame, "largest client WebSocket frame accepted, in bytes")
	fs.StringVar(&cfg.envFile, "env", envAuto, "the .env file to load: a path, \"none\", or \"auto\" (./.env, then beside the executable, then beside the source)")
	fs.BoolVar(&cfg.verbose, "v", false, "debug logging")
	fs.BoolVar(&cfg.team, "team", false, "talk to a team of agents instead of the search agent: a coordinator that transfers you, by voice or text, to a weather agent or a clock agent and back")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: bidi-demo takes flags only", fs.Args())
	}
	if cfg.maxFrame < 1024 {
		return nil, fmt.Errorf("-max-frame %d is too small: audio chunks alone need a few kilobytes", cfg.maxFrame)
	}
	for _, p := range strings.Split(*origins, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("-allow-origins: bad pattern %q: %w", p, err)
		}
		cfg.allowedOrigins = append(cfg.allowedOrigins, p)
	}
	return cfg, nil
}

// applyEnvironment fills what the flags left unset from the environment:
// the port from PORT (the host stays the loopback interface: only -addr
// changes it), the model from DEMO_AGENT_MODEL.
func (cfg *config) applyEnvironment(getenv func(string) string) error {
	if cfg.addr == "" {
		port := defaultPort
		if p := strings.TrimSpace(getenv("PORT")); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 65535 {
				return fmt.Errorf("PORT %q is not a port number (0 to 65535); to choose the interface too, use -addr HOST:PORT", p)
			}
			port = p
		}
		cfg.addr = net.JoinHostPort(defaultHost, port)
	}
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		return fmt.Errorf("-addr %q: want HOST:PORT, for example %s:%s: %w", cfg.addr, defaultHost, defaultPort, err)
	}
	if cfg.model == "" {
		cfg.model = strings.TrimSpace(getenv("DEMO_AGENT_MODEL"))
	}
	if cfg.model == "" {
		cfg.model = defaultModel
	}
	return nil
}

// loadConfig parses args, loads the .env file into the process
// environment (variables already set win), and applies the environment.
func loadConfig(args []string, stderr io.Writer, logger *slog.Logger) (*config, error) {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return nil, err
	}
	file, err := findEnvFile(cfg.envFile)
	if err != nil {
		return nil, err
	}
	if file != "" {
		n, err := loadDotEnv(file, os.LookupEnv, os.Setenv)
		if err != nil {
			return nil, err
		}
		logger.Info("loaded .env", "file", file, "variables", n)
	}
	if err := cfg.applyEnvironment(os.Getenv); err != nil {
		return nil, err
	}
	return cfg, nil
}
