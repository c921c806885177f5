// Command benchall builds the fake server and the benchmark client, runs
// every scenario with every adapter (the fake server pinned to CPU 0 and
// the client to CPU 1 where taskset exists and there are two CPUs), and
// prints one table with adklive's ratios against the floors and its peers
// measured in the same run. The Node ADK's scenarios run node on
// node/benchclient.mjs, pinned the same way; benchall runs npm ci in node/
// first when its node_modules is missing, and skips them, saying why, when
// node or npm is not installed. Run it from the bench module's directory:
//
//	go run ./cmd/benchall
//
// It writes the raw results as JSON and the p99-latency plot as PNG.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/adklive/adklive/bench/measure"
)

func main() {
	quick := flag.Bool("quick", false, "smaller scenarios, for a smoke run")
	out := flag.String("out", "results.json", "write the raw results here")
	plotPath := flag.String("plot", "../docs/bench-p99-latency.png", "write the p99 latency plot here")
	profiles := flag.String("profiles", "", "write CPU and allocation profiles of adklive's burst and upstream runs into this directory")
	reprint := flag.String("print", "", "print the tables from a results file of an earlier run, without running anything (and write the plot if -plot is given)")
	rounds := flag.Int("rounds", 3, "run the bursts, upstream bursts and idle runs this many times and report each one's median")
	flag.Parse()
	log.SetFlags(0)
	if *reprint != "" {
		data, err := os.ReadFile(*reprint)
		if err != nil {
			log.Fatal(err)
		}
		var results []measure.Result
		if err := json.Unmarshal(data, &results); err != nil {
			log.Fatalf("%s: %v", *reprint, err)
		}
		plotSet := false
		flag.Visit(func(f *flag.Flag) { plotSet = plotSet || f.Name == "plot" })
		if plotSet { // never overwrite the committed plot unasked
			if err := writePlot(*plotPath, results); err != nil {
				log.Printf("plot: %v", err)
			}
		}
		printTables(os.Stdout, results)
		return
	}
	begin := time.Now()

	dir, err := os.MkdirTemp("", "benchall")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	build := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./cmd/fakeserver", "./cmd/benchclient")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		log.Fatalf("building the fake server and the client: %v", err)
	}

	serverCPU, clientCPU := pinning()
	srv := exec.Command(filepath.Join(dir, "fakeserver"))
	srv = pinned(serverCPU, srv)
	srv.Stderr = os.Stderr
	stdout, err := srv.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		log.Fatal(err)
	}
	stopServer := func() { srv.Process.Kill(); srv.Wait() }
	defer stopServer()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		log.Fatalf("reading the fake server's address: %v", err)
	}
	server := strings.TrimSpace(line)

	p := plan(*quick, max(*rounds, 1))
	node, err := nodeClient()
	if err != nil {
		fmt.Fprintf(os.Stderr, "skipping the Node ADK (%s): %v\n", nodeAdapter, err)
		p = without(p, nodeAdapter)
	}
	var results []measure.Result
	var failures []string
	profiled := make(map[string]bool)
	for i, sc := range p {
		args := append([]string{"-server", server}, sc.args()...)
		if *profiles != "" && sc.adapter == "adklive" && sc.sessions == 1 && (sc.mode == "burst" || sc.mode == "upstream") {
			os.MkdirAll(*profiles, 0o755)
			base := filepath.Join(*profiles, "adklive-"+sc.mode)
			if !profiled[base] { // the first round's
				profiled[base] = true
				args = append(args, "-cpuprofile", base+".cpu.pprof", "-memprofile", base+".allocs.pprof")
			}
		}
		client := exec.Command(filepath.Join(dir, "benchclient"), args...)
		if sc.adapter == nodeAdapter {
			client = exec.Command(node[0], append(node[1:], args...)...)
		}
		cmd := pinned(clientCPU, client)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		fmt.Fprintf(os.Stderr, "[%2d/%d] %-9s %-8s x%-4d ", i+1, len(p), sc.adapter, sc.mode, sc.sessions)
		start := time.Now()
		if err := cmd.Run(); err != nil {
			msg := fmt.Sprintf("%s %s x%d: %v: %s", sc.adapter, sc.mode, sc.sessions, err, strings.TrimSpace(e.String()))
			failures = append(failures, msg)
			fmt.Fprintf(os.Stderr, "FAILED\n")
			continue
		}
		var r measure.Result
		if err := json.Unmarshal(o.Bytes(), &r); err != nil {
			failures = append(failures, fmt.Sprintf("%s %s x%d: bad output: %v", sc.adapter, sc.mode, sc.sessions, err))
			continue
		}
		results = append(results, r)
		fmt.Fprintf(os.Stderr, "ok (%.1fs)\n", time.Since(start).Seconds())
	}

	results = medians(results)
	if data, err := json.MarshalIndent(results, "", "  "); err == nil {
		os.WriteFile(*out, append(data, '\n'), 0o644)
	}
	if err := writePlot(*plotPath, results); err != nil {
		log.Printf("plot: %v", err)
	}
	fmt.Printf("Machine: %s/%s, %d CPUs, %s; fake server on CPU %s, client on CPU %s; total %s\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), orNone(serverCPU), orNone(clientCPU),
		time.Since(begin).Round(time.Second))
	printTables(os.Stdout, results)
	if len(failures) > 0 {
		stopServer()
		os.RemoveAll(dir)
		fmt.Println("\nFAILED:")
		for _, f := range failures {
			fmt.Println("  " + f)
		}
		os.Exit(1)
	}
}

// medians reduces the repeated runs of each scenario to the run with the
// median main figure (the lower middle one of an even count), which keeps
// how many runs there were and the lowest and highest figure. Order is
// kept: each scenario where it first ran.
func medians(rs []measure.Result) []measure.Result {
	type key struct {
		adapter, mode string
		sessions      int
	}
	groups := make(map[key][]measure.Result)
	var order []key
	for _, r := range rs {
		k := key{r.Adapter, r.Mode, r.Sessions}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	out := make([]measure.Result, 0, len(order))
	for _, k := range order {
		g := groups[k]
		slices.SortFunc(g, func(a, b measure.Result) int { return cmp.Compare(a.Metric(), b.Metric()) })
		m := g[(len(g)-1)/2]
		m.Rounds, m.MetricMin, m.MetricMax = len(g), g[0].Metric(), g[len(g)-1].Metric()
		out = append(out, m)
	}
	return out
}

// pinning returns the CPUs for the server and the client, or "" when the
// processes cannot be pinned.
func pinning() (server, client string) {
	if _, err := exec.LookPath("taskset"); err != nil || runtime.NumCPU() < 2 {
		return "", ""
	}
	return "0", "1"
}

func pinned(cpu string, cmd *exec.Cmd) *exec.Cmd {
	if cpu == "" {
		return cmd
	}
	c := exec.Command("taskset", append([]string{"-c", cpu, cmd.Path}, cmd.Args[1:]...)...)
	return c
}

func orNone(s string) string {
	if s == "" {
		return "(not pinned)"
	}
	return s
}
