// Package cputime reads the CPU time the process has used, for benchmarks:
// on a machine other work shares, CPU time measures a build's work better
// than wall time.
package cputime

import (
	"testing"
	"time"
)

// Report reports the CPU time per operation since start, a Process
// reading, in milliseconds, as the benchmark's cpu-ms/op.
func Report(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(Process()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
