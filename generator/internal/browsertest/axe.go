package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// WCAGTags are the axe-core rule tags of WCAG 2.2 level AA.
var WCAGTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Violation is one axe-core rule that failed, with the elements it failed on.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s, at %v", v.ID, v.Impact, v.Help, v.Nodes)
}

// repoRoot is the top of the repository, found from this file's place.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// AxeSource returns axe-core's script, installed from npm into
// tests/browser by .ci/run. It skips the test when the package is missing,
// and fails it under CI=true.
func AxeSource(t testing.TB) string {
	t.Helper()
	p := filepath.Join(repoRoot(), "tests", "browser", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		msg := fmt.Sprintf("axe-core is not installed (run: npm ci --prefix tests/browser): %v", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return string(b)
}

// awaitPromise makes Evaluate wait for the promise the script returns.
func awaitPromise(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams {
	return p.WithAwaitPromise(true)
}

// Axe runs axe-core with the WCAG 2.2 AA rules on the page open in ctx.
func Axe(ctx context.Context, axeSource string) ([]Violation, error) {
	tags, _ := json.Marshal(WCAGTags)
	script := `axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, resultTypes: ['violations']})
	  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
	    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))`
	var out []Violation
	err := chromedp.Run(ctx,
		chromedp.Evaluate(axeSource, nil),
		chromedp.Evaluate(script, &out, awaitPromise),
	)
	return out, err
}
