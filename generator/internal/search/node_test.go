package search

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// clientScript is the theme's search script, which the tests run under
// node to check it against the Go side.
var clientScript = filepath.Join("..", "layout", "theme", "assets", "search.js")

// runNode runs script under node with stdin and returns its output. It
// skips the test where node is missing, except under CI=true, where CI
// installs node and a missing one is a fault.
func runNode(t *testing.T, script string, stdin []byte, env ...string) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is not installed")
		}
		t.Skip("node is not installed")
	}
	abs, err := filepath.Abs(clientScript)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "-e", script)
	cmd.Env = append(os.Environ(), append(env, "SEARCH_JS="+abs)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}
	return out
}
