// Command generator is Peerpress: it builds a school peer-support
// programme's website from Markdown. Run "generator help" for its commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // site time zones work on hosts without a zoneinfo database

	"peerpress/generator/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
