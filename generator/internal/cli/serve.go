package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"peerpress/generator/internal/devserver"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "serve [--source DIR] [--addr 127.0.0.1:1313] [--data DIR] [--drafts] [--now DATE]", stderr)
	var sf siteFlags
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:1313", "the `address` to listen on (keep it on loopback: this is a preview, not a host)")
	data := fs.String("data", "", "the `directory` to keep form submissions in (default: a temporary one, removed on exit)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	// A broken site.yaml is served with its errors shown until it is fixed,
	// but a source that is not there at all is a mistyped flag.
	if info, err := os.Stat(sf.source); err != nil || !info.IsDir() {
		fmt.Fprintf(stderr, "generator serve: --source %q is not a directory\n", sf.source)
		return ExitUsage
	}
	opts := devserver.Options{Build: sf.options(), Addr: *addr, Data: *data, Log: stderr}
	err := devserver.Run(ctx, opts, func(a string) {
		fmt.Fprintf(stdout, "Serving the site at http://%s/ (pages reload when you save a file; Ctrl-C to stop)\n", a)
	})
	if err != nil {
		fmt.Fprintf(stderr, "generator serve: %v\n", err)
		return ExitContent
	}
	return ExitOK
}
