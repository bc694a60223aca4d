package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServeUsage checks serve's command line; serving itself is tested in
// the devserver package.
func TestServeUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"serve", "-h"}, ExitOK, "Usage: generator serve"},
		{"missing source", []string{"serve", "--source", filepath.Join(t.TempDir(), "nowhere")}, ExitUsage, "is not a directory"},
		{"extra argument", []string{"serve", "extra"}, ExitUsage, `unexpected argument "extra"`},
		{"bad date", []string{"serve", "--now", "soon"}, ExitUsage, `invalid value "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("generator %v = %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.stderr)
			}
		})
	}
}
