//go:build prof

package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

var profFile *os.File

func init() {
	profFile, _ = os.Create(fmt.Sprintf("/tmp/prof/cpu-%d.pprof", os.Getpid()))
	pprof.StartCPUProfile(profFile)
	profStop = func() { pprof.StopCPUProfile(); profFile.Close() }
}
