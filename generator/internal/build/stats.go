package build

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// Stats say where a build's time went, for `build --stats`: each phase in
// order, and the layouts by the time spent executing them.
type Stats struct {
	mu      sync.Mutex
	Phases  []Phase
	Layouts []LayoutStat
}

// Phase is one named step of a build and its wall time.
type Phase struct {
	Name string
	Time time.Duration
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

// phase records the time since *start under name and restarts the clock.
// A nil Stats records nothing.
func (s *Stats) phase(name string, start *time.Time) {
	if s == nil {
		return
	}
	now := time.Now()
	s.mu.Lock()
	s.Phases = append(s.Phases, Phase{Name: name, Time: now.Sub(*start)})
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
	fmt.Fprintf(w, "%-22s %10s %6s\n", "phase", "time", "share")
	for _, p := range s.Phases {
		if p.Alongside {
			fmt.Fprintf(w, "%-22s %10s %6s  (in the background)\n", p.Name, p.Time.Round(time.Microsecond), "")
			continue
		}
		fmt.Fprintf(w, "%-22s %10s %5.1f%%\n", p.Name, p.Time.Round(time.Microsecond), 100*p.Time.Seconds()/max(total.Seconds(), 1e-9))
	}
	fmt.Fprintf(w, "%-22s %10s\n\n", "total", total.Round(time.Microsecond))
	fmt.Fprintf(w, "%-14s %6s %10s %10s %10s  %s\n", "layout", "pages", "total", "mean", "slowest", "slowest page")
	for _, l := range s.Layouts {
		fmt.Fprintf(w, "%-14s %6d %10s %10s %10s  %s\n", l.Name, l.Pages, l.Total.Round(time.Microsecond),
			(l.Total / time.Duration(l.Pages)).Round(time.Microsecond), l.Slowest.Round(time.Microsecond), l.SlowestPath)
	}
}
