package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// nodeAdapter is the Node ADK's adapter, which runs as a Node client
// (node/benchclient.mjs) rather than through cmd/benchclient.
const nodeAdapter = "nodeadk"

// nodeDir is the Node client's directory, relative to the bench module.
const nodeDir = "node"

// nodeClient readies the Node client: it finds node, and runs npm ci in
// nodeDir when its node_modules is missing (so once on a fresh clone). It
// returns the command that runs the client, to which a scenario's flags
// are appended, or why the Node scenarios cannot run.
func nodeClient() ([]string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not installed")
	}
	dir, err := filepath.Abs(nodeDir)
	if err != nil {
		return nil, err
	}
	script := filepath.Join(dir, "benchclient.mjs")
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("%s is missing (run benchall from the bench directory)", script)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); errors.Is(err, os.ErrNotExist) {
		npm, err := exec.LookPath("npm")
		if err != nil {
			return nil, fmt.Errorf("%s/node_modules is missing and npm is not installed", nodeDir)
		}
		fmt.Fprintf(os.Stderr, "npm ci in %s\n", dir)
		ci := exec.Command(npm, "ci", "--no-audit", "--no-fund")
		ci.Dir, ci.Stdout, ci.Stderr = dir, os.Stderr, os.Stderr
		if err := ci.Run(); err != nil {
			return nil, fmt.Errorf("npm ci in %s: %v", dir, err)
		}
	}
	// --expose-gc: the idle runs measure the heap after a full collection.
	return []string{node, "--expose-gc", script}, nil
}

// without returns p less the scenarios of adapter a.
func without(p []scenario, a string) []scenario {
	var out []scenario
	for _, s := range p {
		if s.adapter != a {
			out = append(out, s)
		}
	}
	return out
}
