package build

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"peerpress/generator/internal/cputime"
)

// Stats say where a build's time went, for `build --stats`: each phase in
// order, and the layouts by the time spent executing them.
type Stats struct {
	mu      sync.Mutex
	Phases  []Phase
	Layouts []LayoutStat
	// cpu is the process's CPU time when the last phase ended.
	cpu time.Duration
}

// Phase is one named step of a build and its wall time.
type Phase struct {
	Name string
	Time time.Duration
	// CPU is the CPU time the whole process used during the phase, on all
	// cores, work in the background included: near Time times the number
	// of cores, the phase kept every core busy. Zero for a phase in the
	// background, and where the process's CPU time cannot be read.
	CPU time.Duration
	// Alongside marks a phase that ran at the same time as others, such as
	// the feeds made while the search index is built and pages render: it
	// is not part of the total.
	Alongside bool
}

// LayoutStat is the time spent executing one layout, over all the pages it
// rendered (CPU time across the workers, so the totals can exceed the
// render phase's wall time).
type LayoutStat struct {
	Name    string
	Pages   int
	Total   time.Duration
	Slowest time.Duration
	// SlowestPath is the output that took longest.
	SlowestPath string
}

// begin starts the CPU clock of the first phase. A nil Stats records
// nothing.
func (s *Stats) begin() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.cpu = cputime.Process()
	s.mu.Unlock()
}

// phase records the time since *start under name and restarts the clock.
// A nil Stats records nothing.
func (s *Stats) phase(name string, start *time.Time) {
	if s == nil {
		return
	}
	now, cpu := time.Now(), cputime.Process()
	s.mu.Lock()
	s.Phases = append(s.Phases, Phase{Name: name, Time: now.Sub(*start), CPU: cpu - s.cpu})
	s.cpu = cpu
	s.mu.Unlock()
	*start = now
}

// background records a phase that ran alongside the others. A nil Stats
// records nothing.
func (s *Stats) background(name string, d time.Duration) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.Phases = append(s.Phases, Phase{Name: name, Time: d, Alongside: true})
	s.mu.Unlock()
}

// layouts aggregates per-output render times by layout, slowest first.
func (s *Stats) layouts(names, paths []string, times []time.Duration) {
	if s == nil {
		return
	}
	by := map[string]*LayoutStat{}
	for i, n := range names {
		ls := by[n]
		if ls == nil {
			ls = &LayoutStat{Name: n}
			by[n] = ls
		}
		ls.Pages++
		ls.Total += times[i]
		if times[i] > ls.Slowest {
			ls.Slowest, ls.SlowestPath = times[i], paths[i]
		}
	}
	for _, ls := range by {
		s.Layouts = append(s.Layouts, *ls)
	}
	slices.SortFunc(s.Layouts, func(a, b LayoutStat) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Name, b.Name))
	})
}

// Print writes the phases and the layouts as two small tables.
func (s *Stats) Print(w io.Writer) {
	var total time.Duration
	for _, p := range s.Phases {
		if !p.Alongside {
			total += p.Time
		}
	}
	var totalCPU time.Duration
	fmt.Fprintf(w, "%-22s %10s %6s %10s\n", "phase", "time", "share", "cpu")
	for _, p := range s.Phases {
		if p.Alongside {
			fmt.Fprintf(w, "%-22s %10s %6s %10s  (in the background)\n", p.Name, p.Time.Round(time.Microsecond), "", "")
			continue
		}
		totalCPU += p.CPU
		fmt.Fprintf(w, "%-22s %10s %5.1f%% %10s\n", p.Name, p.Time.Round(time.Microsecond), 100*p.Time.Seconds()/max(total.Seconds(), 1e-9), p.CPU.Round(time.Millisecond))
	}
	fmt.Fprintf(w, "%-22s %10s %6s %10s\n\n", "total", total.Round(time.Microsecond), "", totalCPU.Round(time.Millisecond))
	fmt.Fprintf(w, "%-14s %6s %10s %10s %10s  %s\n", "layout", "pages", "total", "mean", "slowest", "slowest page")
	for _, l := range s.Layouts {
		fmt.Fprintf(w, "%-14s %6d %10s %10s %10s  %s\n", l.Name, l.Pages, l.Total.Round(time.Microsecond),
			(l.Total / time.Duration(l.Pages)).Round(time.Microsecond), l.Slowest.Round(time.Microsecond), l.SlowestPath)
	}
}
