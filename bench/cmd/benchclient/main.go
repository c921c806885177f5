// Command benchclient runs one benchmark scenario with one adapter against
// a running fakeserver and prints its measure.Result as JSON on standard
// output. benchall runs it once per scenario, so that every scenario's
// peak RSS and CPU time are its own.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/adklive/adklive/bench/adapter"
	"github.com/adklive/adklive/bench/measure"
	"github.com/adklive/adklive/bench/wire"
)

func main() {
	var cfg measure.Config
	var adapterName, mode, cpuProfile, memProfile string
	flag.StringVar(&cfg.Server, "server", "", "fake server base URL (ws://host:port)")
	flag.StringVar(&adapterName, "adapter", "adklive", "transport, json, genai, adklive or adkgo")
	flag.StringVar(&mode, "mode", "burst", "burst, realtime, upstream or idle")
	flag.IntVar(&cfg.Sessions, "sessions", 1, "concurrent sessions")
	flag.IntVar(&cfg.Turns, "turns", 4, "model turns per session")
	flag.IntVar(&cfg.FramesPerTurn, "frames", 250, "audio chunks per turn")
	flag.IntVar(&cfg.UpChunks, "chunks", 10000, "upstream chunks (upstream mode)")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the measured window here")
	flag.StringVar(&memProfile, "memprofile", "", "write an allocation profile after the measured window here")
	memProfileRate := flag.Int("memprofilerate", 0, "runtime.MemProfileRate for -memprofile (0: Go's default, 1: every allocation)")
	flag.Parse()
	if *memProfileRate > 0 {
		runtime.MemProfileRate = *memProfileRate
	}

	a, err := pick(adapterName)
	if err != nil {
		log.Fatal(err)
	}
	cfg.Adapter = a
	cfg.Mode = wire.Mode(mode)
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		cfg.WindowStart = func() { pprof.StartCPUProfile(f) }
		cfg.WindowEnd = func() { pprof.StopCPUProfile(); f.Close() }
	}
	res, err := measure.Run(context.Background(), cfg)
	if err != nil {
		log.Fatalf("%s %s x%d: %v", adapterName, mode, cfg.Sessions, err)
	}
	if memProfile != "" {
		f, err := os.Create(memProfile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}
	json.NewEncoder(os.Stdout).Encode(res)
}

func pick(name string) (adapter.Adapter, error) {
	switch name {
	case "transport":
		return adapter.Transport{}, nil
	case "json":
		return adapter.JSON{}, nil
	case "genai":
		return adapter.GenAI{}, nil
	case "adklive":
		return &adapter.ADKLive{}, nil
	case "adkgo":
		return &adapter.ADKGo{}, nil
	}
	return nil, fmt.Errorf("unknown adapter %q", name)
}
