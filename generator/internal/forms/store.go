package forms

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver: pure Go, no cgo

	"peerpress/generator/internal/formspec"
)

// DBFile is the name of the database in the data directory.
const DBFile = "forms.db"

// The statuses of a stored submission.
const (
	StatusReceived   = "received"
	StatusConfirmed  = "confirmed"
	StatusWaitlisted = "waitlisted"
)

// DuplicateWindow is how long a submission with no per-visit key (sent
// without JavaScript) is recognised by its content: the same answers to the
// same form within it are a resubmission, not a second request.
const DuplicateWindow = 30 * time.Minute

// Store keeps submissions in SQLite (Open) or PostgreSQL (OpenPostgres);
// the server does not know which. Every write is one transaction,
// committed to disk before the caller answers anyone, so what was
// acknowledged survives a crash or a power cut.
//
// SQLite: one connection (WAL, synchronous=FULL), which also serialises
// bookings, so counting a session's places and taking one cannot
// interleave. PostgreSQL, shared by several server processes: a
// transaction takes an advisory lock on what identifies the submission
// (its visit key or answers hash) and another on the session it books
// before it looks, so two instances cannot both miss a resubmission or
// both take the last place (see postgres.go).
type Store struct {
	db *sql.DB
	// pg is set for PostgreSQL: queries are rebound to $n placeholders,
	// times are passed as time.Time, and Save takes advisory locks.
	pg bool
	// where is the database for people to read: the SQLite file, or the
	// PostgreSQL URL without its password.
	where string
}

// String names the store's database, never with a password.
func (s *Store) String() string { return s.where }

// ErrNoStore is returned by OpenAt when asked not to create a store that
// is not there.
var ErrNoStore = errors.New("no submissions database")

// OpenAt opens the store at where: a PostgreSQL URL (postgres://... or
// postgresql://...), or else a directory for SQLite. With create false it
// refuses to make a new one (ErrNoStore): an export from a mistyped
// directory or database must say so rather than export nothing.
func OpenAt(ctx context.Context, where string, create bool) (*Store, error) {
	if IsPostgresURL(where) {
		return OpenPostgres(ctx, where, create)
	}
	if !create {
		if _, err := os.Stat(filepath.Join(where, DBFile)); err != nil {
			return nil, fmt.Errorf("%w in %s (%v)", ErrNoStore, where, err)
		}
	}
	return Open(where)
}

const schemaSQL = `
CREATE TABLE IF NOT EXISTS submissions (
	id       INTEGER PRIMARY KEY,
	receipt  TEXT NOT NULL UNIQUE,
	form     TEXT NOT NULL,
	created  TEXT NOT NULL,
	visit    TEXT NOT NULL DEFAULT '',
	hash     TEXT NOT NULL,
	session  TEXT NOT NULL DEFAULT '',
	status   TEXT NOT NULL,
	unmet    TEXT NOT NULL DEFAULT '[]',
	answers  TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_visit ON submissions (form, visit) WHERE visit <> '';
CREATE INDEX IF NOT EXISTS submissions_hash ON submissions (form, hash, created);
CREATE INDEX IF NOT EXISTS submissions_session ON submissions (session, status);
CREATE INDEX IF NOT EXISTS submissions_created ON submissions (form, created);
CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY CHECK (id = 1), checked TEXT NOT NULL);
`

// Open opens (creating if need be) the store in directory dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	path := filepath.Join(dir, DBFile)
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	if _, err := db.Exec(schemaSQL); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: create tables in %s: %w", path, err)
	}
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		db.Close()
		return nil, fmt.Errorf("store: %s is not in WAL mode (%q, %v)", path, mode, err)
	}
	return &Store{db: db, where: path}, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Submission is one accepted submission to store.
type Submission struct {
	Form string
	// Visit is the per-visit key the page's script made, "" without
	// JavaScript; Hash is the hash of the normalised answers, "" when they
	// do not say who sent them (then only Visit recognises a resubmission).
	Visit string
	Hash  string
	// Session is the session booked, "" if not a booking; Capacity its
	// places (0: no limit); Waitlist puts every booking on the waiting
	// list.
	Session  string
	Capacity int
	Waitlist bool
	Unmet    []formspec.Unmet
	Answers  []formspec.Answer
}

// Receipt is what the sender is told.
type Receipt struct {
	ID     string `json:"receipt"`
	Status string `json:"status"`
	// Unmet are the eligibility criteria not met yet.
	Unmet []formspec.Unmet `json:"unmet,omitempty"`
	// Repeat says the submission had been stored before (a retry).
	Repeat bool `json:"-"`
}

// Save stores sub, or finds it stored already, in one transaction: a
// resubmission (the same visit key, or without one the same answers within
// DuplicateWindow) gets the first receipt, and a booking is counted against
// its session's places and inserted before any other booking can count.
func (s *Store) Save(ctx context.Context, sub Submission, now time.Time) (Receipt, error) {
	r, err := s.save(ctx, sub, now)
	if err != nil && s.pg && isUniqueViolation(err) {
		// Another instance stored this visit between the look-up and the
		// insert (the advisory lock makes that all but impossible, but a
		// unique index is the last word): look again, and find it.
		r, err = s.save(ctx, sub, now)
	}
	return r, err
}

func (s *Store) save(ctx context.Context, sub Submission, now time.Time) (Receipt, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Receipt{}, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	if err := s.lock(ctx, tx, identityLock, identityKey(sub)); err != nil {
		return Receipt{}, err
	}
	answers, err := json.Marshal(sub.Answers)
	if err != nil {
		return Receipt{}, err
	}
	var r Receipt
	var unmet string
	visit := sub.Visit
	switch {
	case sub.Visit == "" && sub.Hash == "":
		err = sql.ErrNoRows // nothing to recognise it by
	case sub.Visit != "":
		r, unmet, visit, err = s.sameVisit(ctx, tx, sub, string(answers))
	default:
		err = tx.QueryRowContext(ctx, s.q(`SELECT receipt, status, unmet FROM submissions WHERE form = ? AND hash = ? AND visit = '' AND created >= ? ORDER BY id LIMIT 1`),
			sub.Form, sub.Hash, s.stamp(now.Add(-DuplicateWindow))).Scan(&r.ID, &r.Status, &unmet)
	}
	switch {
	case err == nil:
		r.Repeat = true
		_ = json.Unmarshal([]byte(unmet), &r.Unmet)
		return r, nil
	case !errors.Is(err, sql.ErrNoRows):
		return Receipt{}, fmt.Errorf("store: look up: %w", err)
	}
	r = Receipt{ID: newReceipt(), Status: StatusReceived, Unmet: sub.Unmet}
	if sub.Session != "" {
		r.Status = StatusConfirmed
		if sub.Waitlist {
			r.Status = StatusWaitlisted
		} else if sub.Capacity > 0 {
			if err := s.lock(ctx, tx, sessionLock, sub.Session); err != nil {
				return Receipt{}, err
			}
			var taken int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM submissions WHERE session = ? AND status = ?`), sub.Session, StatusConfirmed).Scan(&taken); err != nil {
				return Receipt{}, fmt.Errorf("store: count places: %w", err)
			}
			if taken >= sub.Capacity {
				r.Status = StatusWaitlisted
			}
		}
	}
	if sub.Unmet == nil {
		sub.Unmet = []formspec.Unmet{}
	}
	um, err := json.Marshal(sub.Unmet)
	if err != nil {
		return Receipt{}, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO submissions (receipt, form, created, visit, hash, session, status, unmet, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, sub.Form, s.stamp(now), visit, sub.Hash, sub.Session, r.Status, string(um), string(answers)); err != nil {
		return Receipt{}, fmt.Errorf("store: insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Receipt{}, fmt.Errorf("store: commit: %w", err)
	}
	return r, nil
}

// sameVisit looks for sub stored before from the same showing of the form
// (its visit key): a retry or a double click sends the same answers, and
// gets the first receipt. Different answers with the same key are another
// submission: a browser's Back button brings the page back as it was,
// key and all, and a head who books a place and then goes back to book one
// for a colleague must not be told "booked" with the first reference while
// the colleague's booking is dropped. Such a submission is kept under the
// key with a digest of its answers added, so that its own retries are
// recognised in turn. It returns the receipt found (and its criteria not
// met, as stored), or sql.ErrNoRows with the key to store sub under.
func (s *Store) sameVisit(ctx context.Context, tx *sql.Tx, sub Submission, answers string) (Receipt, string, string, error) {
	sum := sha256.Sum256([]byte(answers))
	alt := sub.Visit + "~" + hex.EncodeToString(sum[:8])
	rows, err := tx.QueryContext(ctx, s.q(`SELECT receipt, status, unmet, answers, visit FROM submissions WHERE form = ? AND visit IN (?, ?) ORDER BY id`), sub.Form, sub.Visit, alt)
	if err != nil {
		return Receipt{}, "", "", err
	}
	defer rows.Close()
	visit := sub.Visit
	for rows.Next() {
		var r Receipt
		var unmet, stored, v string
		if err := rows.Scan(&r.ID, &r.Status, &unmet, &stored, &v); err != nil {
			return Receipt{}, "", "", err
		}
		if stored == answers {
			return r, unmet, v, nil
		}
		visit = alt
	}
	if err := rows.Err(); err != nil {
		return Receipt{}, "", "", err
	}
	return Receipt{}, "", visit, sql.ErrNoRows
}

// Healthy reports whether the store can be written to.
func (s *Store) Healthy(ctx context.Context, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO health (id, checked) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked = excluded.checked`), s.stamp(now))
	return err
}

// Record is one stored submission, for export.
type Record struct {
	Receipt string            `json:"receipt"`
	Form    string            `json:"form"`
	Created time.Time         `json:"created"`
	Session string            `json:"session,omitempty"`
	Status  string            `json:"status"`
	Unmet   []formspec.Unmet  `json:"unmet,omitempty"`
	Answers []formspec.Answer `json:"answers"`
}

// Records returns the submissions to form made at or after since, oldest
// first.
func (s *Store) Records(ctx context.Context, form string, since time.Time) ([]Record, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT receipt, form, created, session, status, unmet, answers FROM submissions WHERE form = ? AND created >= ? ORDER BY id`), form, s.stamp(since))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var unmet, answers string
		if err := rows.Scan(&r.Receipt, &r.Form, stampScanner{&r.Created}, &r.Session, &r.Status, &unmet, &answers); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		if err := json.Unmarshal([]byte(unmet), &r.Unmet); err != nil {
			return nil, fmt.Errorf("store: %s: %w", r.Receipt, err)
		}
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return nil, fmt.Errorf("store: %s: %w", r.Receipt, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Forms returns the names of the forms that have submissions stored, in
// order, so that an export of a mistyped form can name the right ones.
func (s *Store) Forms(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT form FROM submissions ORDER BY form`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Purge deletes the submissions made before cutoff and returns how many.
// SQLite then compacts the file (VACUUM) so no deleted answers stay in
// it; PostgreSQL vacuums the table (see purgeSpace).
func (s *Store) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM submissions WHERE created < ?`), s.stamp(cutoff))
	if err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	n, _ := res.RowsAffected()
	if s.pg {
		return n, s.purgeSpace(ctx)
	}
	// Give the space back and leave no deleted answers in the WAL.
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return n, fmt.Errorf("store: checkpoint: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return n, fmt.Errorf("store: vacuum: %w", err)
	}
	return n, nil
}

// stampLayout orders as text in time order, so created can be compared in
// SQL.
const stampLayout = "2006-01-02T15:04:05.000000Z"

// stamp is t as the database keeps it: UTC to the microsecond, as text in
// SQLite and as a timestamptz in PostgreSQL (which would round the
// nanoseconds, where SQLite's text cuts them: both cut).
func (s *Store) stamp(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if s.pg {
		return t
	}
	return t.Format(stampLayout)
}

// stampScanner reads a stamp back as UTC, whichever way it was kept.
type stampScanner struct{ t *time.Time }

func (ss stampScanner) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case time.Time:
		*ss.t = v.UTC()
	case string:
		*ss.t, err = time.Parse(stampLayout, v)
	case []byte:
		*ss.t, err = time.Parse(stampLayout, string(v))
	default:
		err = fmt.Errorf("a time stored as %T", src)
	}
	return err
}

// q rewrites a query's ? placeholders as PostgreSQL's $1, $2, ... (none
// of the queries has a ? in a literal).
func (s *Store) q(query string) string {
	if !s.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// receiptAlphabet leaves out letters and digits that are read one for
// another (0/O, 1/I/L, 5/S, 8/B).
const receiptAlphabet = "ACDEFGHJKMNPQRTUVWXY2345679"

// newReceipt returns a random reference such as PP-7KQ4-MX2D-C9TA: 12
// characters from 27, about 57 bits.
func newReceipt() string {
	var b [12]byte
	rand.Read(b[:])
	var sb strings.Builder
	sb.WriteString("PP")
	for i, c := range b {
		if i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(receiptAlphabet[int(c)%len(receiptAlphabet)])
	}
	return sb.String()
}
