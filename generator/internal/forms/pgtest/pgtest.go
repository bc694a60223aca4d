// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the server that PEERPRESS_TEST_POSTGRES names, or else in a
// throwaway cluster it starts from the installed server binaries (Debian's
// postgresql package), listening only on a unix socket in a temporary
// directory, once per test binary. Where there is neither, tests skip,
// except under CI=true, where they fail: CI installs PostgreSQL, so a
// missing server there is a fault.
//
// A test binary that uses it calls Main from its TestMain, which stops the
// cluster when the tests are done.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL names a PostgreSQL server for the tests to use instead of
// starting one: a URL whose user may create schemas in its database.
const EnvURL = "PEERPRESS_TEST_POSTGRES"

var (
	once    sync.Once
	baseURL string // the server's URL, "" when there is none
	why     string // why there is none
	cluster *localCluster
)

// Main runs the tests and then stops the cluster, if one was started.
func Main(m *testing.M) int {
	code := m.Run()
	if cluster != nil {
		cluster.stop()
	}
	return code
}

// URL returns the URL of a schema of the test's own, dropped when the test
// ends; the URL sets search_path to it, so a store opened on it sees only
// its own tables. It skips the test when no PostgreSQL can be had (fails it
// under CI=true).
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setUp)
	if baseURL == "" {
		msg := "PostgreSQL is not available (" + why + "): apt-get install postgresql, or set " + EnvURL
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", baseURL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("pgtest: %v", err)
		}
		admin.Close()
	})
	return withParam(baseURL, "search_path", schema)
}

// WithPassword returns raw with a password, and the password, for tests
// that check it is never shown: the URL's own, or, when it has none (the
// throwaway cluster trusts its socket), a made-up one.
func WithPassword(t testing.TB, raw string) (string, string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		return raw, pw
	}
	const pw = "made-up-s3cret"
	u.User = url.UserPassword(u.User.Username(), pw)
	return u.String(), pw
}

// withParam returns raw with the query parameter k set to v.
func withParam(raw, k, v string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// setUp finds or starts the server, setting baseURL or why.
func setUp() {
	if u := os.Getenv(EnvURL); u != "" {
		baseURL = u
		return
	}
	bin, err := serverBinaries()
	if err != nil {
		why = err.Error()
		return
	}
	c, err := startCluster(bin)
	if err != nil {
		why = err.Error()
		return
	}
	cluster = c
	baseURL = c.url
}

// serverBinaries returns the directory holding initdb and postgres: the
// newest of Debian's /usr/lib/postgresql/*/bin, else the one initdb is
// found in on PATH.
func serverBinaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if fileExists(filepath.Join(d, "initdb")) && fileExists(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err = filepath.EvalSymlinks(p); err == nil && fileExists(filepath.Join(filepath.Dir(p), "postgres")) {
			return filepath.Dir(p), nil
		}
	}
	return "", errors.New("no initdb and postgres in /usr/lib/postgresql/*/bin or on PATH")
}

// version is the major version in a Debian server directory's path.
func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// localCluster is a PostgreSQL server run for the tests.
type localCluster struct {
	dir  string
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

// startCluster makes a cluster in a temporary directory and starts its
// server, listening on a unix socket there and on no TCP port. initdb and
// postgres refuse to run as root; then they run as the postgres user (the
// one Debian's package makes), which owns the directory.
func startCluster(bin string) (*localCluster, error) {
	// The socket's path must fit in 107 bytes, and as root the postgres
	// user must be able to reach the directory: a long or private $TMPDIR
	// gives way to /tmp.
	base := os.TempDir()
	if len(base) > 60 || os.Geteuid() == 0 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "peerpress-pg-")
	if err != nil {
		return nil, err
	}
	c := &localCluster{dir: dir, done: make(chan struct{})}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, and there is no postgres user to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "--pgdata", data, "--username", "postgres", "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// Small, since the tests are small; fsync stays on, as the store
	// requires. If this process dies, the kernel stops the server too.
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-c", "listen_addresses=",
		"-c", "shared_buffers=16MB", "-c", "max_connections=100", "-c", "max_wal_size=256MB")
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	c.cmd.Dir = dir
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	if err := c.cmd.Start(); err != nil {
		logf.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("postgres: %v", err)
	}
	go func() { c.cmd.Wait(); logf.Close(); close(c.done) }()
	c.url = "postgres://postgres@/postgres?host=" + url.QueryEscape(dir) + "&sslmode=disable"
	if err := c.wait(time.Minute); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		c.stop()
		return nil, fmt.Errorf("%v\n%s", err, log)
	}
	return c, nil
}

// wait waits until the server accepts connections.
func (c *localCluster) wait(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		db, err := sql.Open("pgx", c.url)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err = db.PingContext(ctx)
			cancel()
			db.Close()
		}
		if err == nil {
			return nil
		}
		select {
		case <-c.done:
			return errors.New("postgres exited at start")
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not start within %s: %v", limit, err)
		}
	}
}

// stop shuts the server down (fast: it is thrown away) and removes its
// directory.
func (c *localCluster) stop() {
	if c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.done:
		case <-time.After(30 * time.Second):
			c.cmd.Process.Kill()
			<-c.done
		}
	}
	os.RemoveAll(c.dir)
}
