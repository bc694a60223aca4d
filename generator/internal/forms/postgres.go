package forms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
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
