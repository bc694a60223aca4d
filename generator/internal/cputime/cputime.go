// Package cputime reads the CPU time the process has used: for benchmarks,
// since on a machine other work shares, CPU time measures a build's work
// better than wall time; and for `build --stats`, where CPU time against
// wall time shows whether a phase keeps every core busy.
package cputime

import "time"

// Benchmark is the part of a *testing.B that Report uses, so that the
// generator itself need not link the testing package.
type Benchmark interface {
	ReportMetric(n float64, unit string)
}

// Report reports the CPU time per operation of n operations since start, a
// Process reading, in milliseconds, as the benchmark's cpu-ms/op.
func Report(b Benchmark, n int, start time.Duration) {
	b.ReportMetric(float64(Process()-start)/float64(time.Millisecond)/float64(max(n, 1)), "cpu-ms/op")
}
