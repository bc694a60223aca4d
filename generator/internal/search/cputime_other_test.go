//go:build !unix

package search_test

import "time"

// cpuTime is 0: the CPU time is not read on this system.
func cpuTime() time.Duration { return 0 }
