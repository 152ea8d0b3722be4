package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CLI is a Terraform or OpenTofu binary.
type CLI struct {
	Name string // "terraform" or "tofu"
	Path string
}

// Workdir is a working folder for one configuration, with a CLI configuration that takes the
// provider from a local build (dev_overrides, so no `init` and no registry are needed).
type Workdir struct {
	Dir      string
	CLI      CLI
	Provider string // the provider binary
	env      []string
}

// NewWorkdir makes a working folder under parent for cli with the provider binary at provider.
func NewWorkdir(parent string, cli CLI, provider string) (*Workdir, error) {
	dir, err := os.MkdirTemp(parent, cli.Name+"-")
	if err != nil {
		return nil, err
	}
	provider, err = filepath.Abs(provider)
	if err != nil {
		return nil, err
	}
	if filepath.Base(provider) != "terraform-provider-onpremvpn" {
		return nil, fmt.Errorf("%s: dev_overrides need the binary named terraform-provider-onpremvpn", provider)
	}
	rc := filepath.Join(dir, "cli.tfrc")
	err = os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "onpremvpn/onpremvpn" = %q
  }
  direct {}
}
`, filepath.Dir(provider))), 0o644)
	if err != nil {
		return nil, err
	}
	env := []string{}
	for _, kv := range os.Environ() {
		// The caller's CLI settings stay out of the measured runs; TF_LOG* passes, to look
		// into a run (TF_LOG_PROVIDER=info TF_LOG_PATH=...).
		if strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "TF_LOG") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return &Workdir{Dir: dir, CLI: cli, Provider: provider, env: env}, nil
}

// Write replaces the configuration with main.tf holding hcl.
func (w *Workdir) Write(hcl string) error {
	return os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(hcl), 0o644)
}

// Result is one CLI run.
type Result struct {
	Took     time.Duration
	Output   string
	ExitCode int
	PeakRSS  int64 // the provider processes' peak resident set, bytes (when watched)
}

// Run runs the CLI with args in the working folder. A non-zero exit is an error unless it is
// listed in okCodes (plan -detailed-exitcode exits 2 when there are changes).
func (w *Workdir) Run(ctx context.Context, watchRSS bool, okCodes []int, args ...string) (Result, error) {
	cmd := exec.CommandContext(ctx, w.CLI.Path, args...)
	cmd.Dir, cmd.Env = w.Dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	var watcher *rssWatcher
	if watchRSS {
		watcher = watchProvider(w.Provider)
	}
	start := time.Now()
	err := cmd.Run()
	res := Result{Took: time.Since(start), Output: out.String()}
	if watcher != nil {
		res.PeakRSS = watcher.stop()
	}
	if ee, ok := err.(*exec.ExitError); ok {
		res.ExitCode = ee.ExitCode()
		for _, c := range okCodes {
			if c == res.ExitCode {
				return res, nil
			}
		}
	}
	if err != nil {
		return res, fmt.Errorf("%s %s: %v\n%s", w.CLI.Name, strings.Join(args, " "), err, tail(res.Output, 40))
	}
	return res, nil
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// rssWatcher samples the peak resident set (VmHWM) of every running process of one binary.
type rssWatcher struct {
	exe  string
	done chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	peak int64
}

func watchProvider(exe string) *rssWatcher {
	w := &rssWatcher{exe: exe, done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.done:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *rssWatcher) sample() {
	procs, _ := filepath.Glob("/proc/[0-9]*/exe")
	for _, p := range procs {
		if target, err := os.Readlink(p); err != nil || target != w.exe {
			continue
		}
		if hwm := vmHWM(filepath.Join(filepath.Dir(p), "status")); hwm > 0 {
			w.mu.Lock()
			w.peak = max(w.peak, hwm)
			w.mu.Unlock()
		}
	}
}

func (w *rssWatcher) stop() int64 {
	close(w.done)
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

// vmHWM reads a process's peak resident set from /proc/PID/status, in bytes.
func vmHWM(status string) int64 {
	f, err := os.Open(status)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
