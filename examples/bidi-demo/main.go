package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // get_current_time works on machines without a zoneinfo database

	"github.com/adklive/adklive/examples/internal/simulator"
)

// appName is the app sessions are stored under, as in ADK's demo.
const appName = "bidi-demo"

// shutdownTimeout bounds a graceful shutdown: run returns an error when
// connections are still open after it.
const shutdownTimeout = 15 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Once the first signal has started the graceful shutdown, restore the
	// default handling, so that a second Ctrl-C kills the program at once.
	context.AfterFunc(ctx, stop)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "bidi-demo:", err)
		os.Exit(1)
	}
}

// run is the whole program: it serves until ctx ends (SIGINT or SIGTERM),
// then shuts down gracefully, ending every live run. It prints the URL it
// serves to stdout and logs to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	cfg, err := loadConfig(args, stderr, logger)
	if err != nil {
		return err
	}
	if cfg.verbose {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}

	backend, err := simulator.Open(ctx, simulator.Config{Model: cfg.model, Force: cfg.simulate, Logger: logger})
	if err != nil {
		return fmt.Errorf("model %s: %w", cfg.model, err)
	}
	defer backend.Close()
	if backend.Simulated {
		// The reason is either the missing credentials or -simulator.
		logger.Warn("using the local Live simulator (canned replies, synthetic audio)",
			"reason", backend.Reason, "model", cfg.model)
	} else {
		logger.Info("using Gemini", "model", cfg.model, "backend", backend.Model.Backend().String())
	}

	srv, err := newServer(cfg, backend, logger)
	if err != nil {
		return err
	}
	defer srv.endRuns()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	httpServer := &http.Server{
		Handler:           srv.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	url := serveURL(ln.Addr())
	fmt.Fprintf(stdout, "bidi-demo: serving %s\n", url)
	logger.Info("serving", "addr", ln.Addr().String(), "url", url, "model", cfg.model, "simulator", backend.Simulated)
	announceExposure(logger, ln.Addr(), !backend.Simulated)

	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(ln) }()
	select {
	case err := <-serveErr: // the listener failed
		shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		return errors.Join(err, srv.shutdown(shutdownCtx))
	case <-ctx.Done():
	}

	logger.Info("shutting down: ending every live run")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	// The WebSocket handlers first, which http.Server.Shutdown does not
	// track; then the listener and the plain HTTP requests.
	wsErr := srv.shutdown(shutdownCtx)
	httpErr := httpServer.Shutdown(shutdownCtx)
	<-serveErr
	if err := errors.Join(wsErr, httpErr); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// announceExposure says plainly when other machines can reach the demo
// listening on addr (anything but a loopback address), and warns when it
// talks to Gemini with real credentials: the demo has no authentication,
// so whoever reaches it spends the owner's API key or Vertex AI project.
func announceExposure(logger *slog.Logger, addr net.Addr, realCredentials bool) {
	if !reachableFromOtherMachines(addr) {
		return
	}
	if realCredentials {
		logger.Warn("the demo is reachable from other machines on "+addr.String()+
			" and uses your real credentials (API key or Vertex AI): anyone who can connect talks to Gemini "+
			"on your account; listen on "+defaultHost+" unless that is what you want",
			"addr", addr.String())
		return
	}
	logger.Info("the demo is reachable from other machines on "+addr.String()+" (the local simulator: no credentials in use)",
		"addr", addr.String())
}

// reachableFromOtherMachines reports whether a listener on addr accepts
// connections from other machines: it does unless it is bound to a
// loopback address.
func reachableFromOtherMachines(addr net.Addr) bool {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return true
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// serveURL is the URL to open for a listener: localhost when it listens on
// every interface.
func serveURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
