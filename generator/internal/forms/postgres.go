package forms

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // the database/sql driver: pure Go, no cgo
)

// PostgreSQL lets several form servers behind a load balancer share one
// database. What a single SQLite connection gives for free, they get from
// transaction-scoped advisory locks, which PostgreSQL releases only after
// the commit is visible to everyone:
//
//   - identityLock on the form and visit key (or answers hash) is taken
//     first, so a resubmission arriving at two instances at once is looked
//     up by the second only after the first has committed it, and gets its
//     receipt;
//   - sessionLock on the session is taken before its confirmed bookings
//     are counted, so no two instances can both count the last place free.
//
// Every transaction takes them in that order, so they cannot deadlock.
// Under READ COMMITTED each statement sees what was committed before it
// started, so the count after the lock sees every booking made before it.
const (
	identityLock = "peerpress:identity"
	sessionLock  = "peerpress:session"
	schemaLock   = "peerpress:schema"
)

// pgSchema is the PostgreSQL form of schemaSQL: the same tables, columns
// and indexes, with created a timestamptz (microseconds, as SQLite keeps
// them in text). Run one statement at a time, under schemaLock, since
// CREATE ... IF NOT EXISTS alone is not safe when two servers start at
// once.
var pgSchema = []string{
	`CREATE TABLE IF NOT EXISTS submissions (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	receipt  text NOT NULL UNIQUE,
	form     text NOT NULL,
	created  timestamptz NOT NULL,
	visit    text NOT NULL DEFAULT '',
	hash     text NOT NULL,
	session  text NOT NULL DEFAULT '',
	status   text NOT NULL,
	unmet    text NOT NULL DEFAULT '[]',
	answers  text NOT NULL
)`,
	`CREATE UNIQUE INDEX IF NOT EXISTS submissions_visit ON submissions (form, visit) WHERE visit <> ''`,
	`CREATE INDEX IF NOT EXISTS submissions_hash ON submissions (form, hash, created)`,
	`CREATE INDEX IF NOT EXISTS submissions_session ON submissions (session, status)`,
	`CREATE INDEX IF NOT EXISTS submissions_created ON submissions (form, created)`,
	`CREATE TABLE IF NOT EXISTS health (id integer PRIMARY KEY CHECK (id = 1), checked timestamptz NOT NULL)`,
	// The rate limit's buckets (see pgLimiter): unlogged, since they are
	// worth nothing after a crash (PostgreSQL empties the table then), and
	// so that no keyed hash of a client's address is written to the WAL,
	// its archives or a standby.
	`CREATE UNLOGGED TABLE IF NOT EXISTS rate_buckets (
	client  bytea PRIMARY KEY,
	tokens  double precision NOT NULL,
	at      timestamptz NOT NULL,
	took    boolean NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS rate_key (id integer PRIMARY KEY CHECK (id = 1), key bytea NOT NULL)`,
}

// IsPostgresURL reports whether where names a PostgreSQL database rather
// than a directory.
func IsPostgresURL(where string) bool {
	return strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://")
}

// OpenPostgres opens the store in the PostgreSQL database at rawURL
// (postgres://user@host:5432/db?sslmode=verify-full). What the URL leaves
// out comes from the standard PG* environment variables and ~/.pgpass, so
// the password need not be on a command line. With create it makes the
// tables if they are missing; without, it refuses (ErrNoStore) a database
// that has none.
//
// It refuses a server running with fsync=off, which can lose committed
// transactions in a crash of the machine; and if the server's
// synchronous_commit is off (which answers a commit before it is on disk)
// it turns it on for its own connections, so an acknowledged submission is
// always on disk.
func OpenPostgres(ctx context.Context, rawURL string, create bool) (*Store, error) {
	where := RedactURL(rawURL)
	cfg, err := pgx.ParseConfig(rawURL) // its errors leave the password out
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "peerpress forms"
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := openPG(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	var fsync, syncCommit string
	if err := db.QueryRowContext(ctx, `SELECT current_setting('fsync'), current_setting('synchronous_commit')`).Scan(&fsync, &syncCommit); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	if fsync != "on" {
		db.Close()
		return nil, fmt.Errorf("store: the PostgreSQL server at %s runs with fsync=%s, so a submission it has committed can be lost if the machine stops; turn fsync on", where, fsync)
	}
	if syncCommit == "off" {
		db.Close()
		cfg.RuntimeParams["synchronous_commit"] = "on"
		if db, err = openPG(ctx, cfg); err != nil {
			return nil, fmt.Errorf("store: %s: %w", where, err)
		}
	}
	s := &Store{db: db, pg: true, where: where}
	if create {
		err = s.createSchema(ctx)
	} else {
		var exists bool
		err = db.QueryRowContext(ctx, `SELECT to_regclass('submissions') IS NOT NULL`).Scan(&exists)
		if err == nil && !exists {
			err = fmt.Errorf("%w in %s (it has no submissions table)", ErrNoStore, where)
		}
	}
	if err != nil {
		db.Close()
		if errors.Is(err, ErrNoStore) {
			return nil, err
		}
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	return s, nil
}

// openPG opens a connection pool on cfg and checks that it connects.
func openPG(ctx context.Context, cfg *pgx.ConnConfig) (*sql.DB, error) {
	db := stdlib.OpenDB(*cfg)
	// A transaction waiting on a session's lock holds its connection, so
	// allow a few; an idle server keeps two.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(2)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// createSchema makes the tables and indexes that are missing.
func (s *Store) createSchema(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, schemaLock); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	for _, stmt := range pgSchema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create tables: %w", err)
		}
	}
	// The first server to start chooses the key every server hashes
	// client addresses with; the rest keep it.
	key := make([]byte, 32)
	rand.Read(key)
	if _, err := tx.ExecContext(ctx, `INSERT INTO rate_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, key); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	return tx.Commit()
}

// lock takes the advisory lock key in namespace for the rest of tx; it is
// a no-op for SQLite, whose one connection already serialises writes, and
// for an empty key.
func (s *Store) lock(ctx context.Context, tx *sql.Tx, namespace, key string) error {
	if !s.pg || key == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, namespace, key); err != nil {
		return fmt.Errorf("store: lock: %w", err)
	}
	return nil
}

// identityKey is what recognises sub as a resubmission, "" if nothing
// does. (Two keys whose hashes collide only wait for each other.)
func identityKey(sub Submission) string {
	switch {
	case sub.Visit != "":
		return "v/" + sub.Form + "/" + sub.Visit
	case sub.Hash != "":
		return "h/" + sub.Form + "/" + sub.Hash
	}
	return ""
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// purgeSpace vacuums the submissions table after a purge. The deleted rows
// are gone from every query at once; VACUUM (plain, which does not lock
// out the servers) removes them from the table's pages so their space is
// reused. Copies in backups and archived WAL last as long as those are
// kept.
func (s *Store) purgeSpace(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM submissions`); err != nil {
		return fmt.Errorf("store: vacuum: %w", err)
	}
	return nil
}

// RedactURL returns a database URL fit to print or log: its password, in
// the user part or as a password= parameter, replaced by xxxxx. Anything
// that is not a URL is returned as it is.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if IsPostgresURL(raw) {
			return "(a PostgreSQL URL that cannot be parsed)"
		}
		return raw
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// pgLimiter is the rate limit of servers sharing a PostgreSQL database:
// each client's token bucket is a row of rate_buckets, which one statement
// (takeSQL) refills and takes a token from. INSERT ... ON CONFLICT DO
// UPDATE locks the row and computes from its latest committed version, so
// takes for one client arriving at any number of servers at once are
// applied one after another, and together never take more than the bucket
// holds.
//
// A row is named by a keyed hash (HMAC-SHA256, cut to 128 bits) of the
// client's address, with a random key kept in rate_key, so the table is
// not a list of addresses; and a row is deleted once its bucket has filled
// up again (sweep), when it says nothing a missing row would not, so the
// table holds only the clients of about the last burst × every.
type pgLimiter struct {
	db    *sql.DB
	key   []byte
	burst float64
	every time.Duration
	// dbClock makes the statements use the database's clock rather than
	// the now they are given: the servers' own clocks may differ a little,
	// and the database's is the one they share. Tests give a clock of
	// their own (Options.Now), and then it is used.
	dbClock bool
	// sweepEvery and sweepAfter are how many takes, or how long, after a
	// sweep this server sweeps again; takes counts the takes since the
	// last one, swept is when it was (by the server's clock).
	sweepEvery int64
	sweepAfter time.Duration
	takes      atomic.Int64
	sweeping   sync.Mutex
	swept      atomic.Int64
}

// sweepEvery is how many takes a server makes between sweeps at most:
// under a flood of distinct clients each take is a new row, so the table
// holds the clients of the last burst × every, plus at most this many per
// server.
const sweepEvery = 1000

// limiterTimeout bounds a take: a database that does not answer in that
// long gets the same answer as one that is down.
const limiterTimeout = 10 * time.Second

// newPGLimiter returns the rate limit kept in the database of s, which
// must be a PostgreSQL store whose tables exist.
func newPGLimiter(ctx context.Context, s *Store, burst int, every time.Duration, dbClock bool) (*pgLimiter, error) {
	l := &pgLimiter{db: s.db, burst: float64(burst), every: every, dbClock: dbClock,
		sweepEvery: sweepEvery, sweepAfter: max(time.Minute, time.Duration(burst)*every)}
	if err := s.db.QueryRowContext(ctx, `SELECT key FROM rate_key WHERE id = 1`).Scan(&l.key); err != nil {
		return nil, fmt.Errorf("store: %s: rate limit key: %w", s.where, err)
	}
	return l, nil
}

// clientKey is the row of client: a keyed hash of its address.
func (l *pgLimiter) clientKey(client string) []byte {
	h := hmac.New(sha256.New, l.key)
	h.Write([]byte(client))
	return h.Sum(nil)[:16]
}

// clock is the time to pass for $now: nil, for the database's clock, or
// the server's now.
func (l *pgLimiter) clock(now time.Time) any {
	if l.dbClock {
		return nil
	}
	return now.UTC()
}

// refillSQL is the tokens in bucket b at excluded.at: what it held, plus
// one per every ($3, seconds) since b.at, never more than burst ($2); none
// when the clock is behind b.at (the memory limiter's refill).
const refillSQL = `least($2::float8, b.tokens + greatest(0, extract(epoch FROM excluded.at - b.at))::float8 / $3::float8)`

// takeSQL takes a token from client $1's bucket at $4 (NULL: the database's
// clock), making a full one if it has none, and returns whether there was
// one. Every right-hand side of the SET reads the row as it was.
const takeSQL = `INSERT INTO rate_buckets AS b (client, tokens, at, took)
VALUES ($1, CASE WHEN $2::float8 >= 1 THEN $2::float8 - 1 ELSE $2::float8 END, coalesce($4::timestamptz, statement_timestamp()), $2::float8 >= 1)
ON CONFLICT (client) DO UPDATE SET
	tokens = ` + refillSQL + ` - CASE WHEN ` + refillSQL + ` >= 1 THEN 1 ELSE 0 END,
	took = ` + refillSQL + ` >= 1,
	at = greatest(b.at, excluded.at)
RETURNING took`

func (l *pgLimiter) allow(ctx context.Context, client string, now time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, limiterTimeout)
	defer cancel()
	var took bool
	if err := l.db.QueryRowContext(ctx, takeSQL, l.clientKey(client), l.burst, l.every.Seconds(), l.clock(now)).Scan(&took); err != nil {
		return false, fmt.Errorf("store: rate limit: %w", err)
	}
	l.takes.Add(1)
	l.tidy(ctx, now)
	return took, nil
}

// tidy sweeps when sweepEvery takes or sweepAfter have passed since the
// last sweep, unless another request of this server is sweeping. It is
// called after each take, and by the health check, which a load balancer
// calls often, so that a quiet server's table empties too. A sweep that
// fails is tried again next time: the take has been made.
func (l *pgLimiter) tidy(ctx context.Context, now time.Time) {
	last := time.Unix(0, l.swept.Load())
	if l.takes.Load() < l.sweepEvery && now.Sub(last) < l.sweepAfter && !now.Before(last) {
		return
	}
	if !l.sweeping.TryLock() {
		return
	}
	defer l.sweeping.Unlock()
	l.takes.Store(0)
	l.swept.Store(now.UnixNano())
	l.sweep(ctx, now)
}

// sweep deletes the buckets that have filled up again by now (or the
// database's now), returning how many. A take that changes a bucket as it
// is swept is seen: DELETE checks the row again once the take commits.
func (l *pgLimiter) sweep(ctx context.Context, now time.Time) (int64, error) {
	res, err := l.db.ExecContext(ctx, `DELETE FROM rate_buckets WHERE tokens + greatest(0, extract(epoch FROM coalesce($3::timestamptz, statement_timestamp()) - at))::float8 / $2::float8 >= $1::float8`,
		l.burst, l.every.Seconds(), l.clock(now))
	if err != nil {
		return 0, fmt.Errorf("store: rate limit sweep: %w", err)
	}
	return res.RowsAffected()
}
