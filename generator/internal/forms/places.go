package forms

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"peerpress/generator/internal/formspec"
)

// Booked is how many bookings a session has, by status.
type Booked struct {
	Confirmed  int
	Waitlisted int
}

// Bookings counts the bookings of every session that has any, by status,
// in one grouped query: the places page and `forms places` cost the same
// however many sessions there are.
func (s *Store) Bookings(ctx context.Context) (map[string]Booked, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT session, status, count(*) FROM submissions WHERE session <> '' GROUP BY session, status`))
	if err != nil {
		return nil, fmt.Errorf("store: count bookings: %w", err)
	}
	defer rows.Close()
	out := map[string]Booked{}
	for rows.Next() {
		var session, status string
		var n int
		if err := rows.Scan(&session, &status, &n); err != nil {
			return nil, fmt.Errorf("store: count bookings: %w", err)
		}
		b := out[session]
		switch status {
		case StatusConfirmed:
			b.Confirmed += n
		case StatusWaitlisted:
			b.Waitlisted += n
		}
		out[session] = b
	}
	return out, rows.Err()
}

// Place is one session's row in the table of places.
type Place struct {
	Session string `json:"session"`
	Title   string `json:"title"`
	// Start is when the session starts (RFC 3339), "" when the manifest
	// does not say (an old manifest, or a session no longer in it).
	Start string `json:"start,omitempty"`
	// State is the session's booking as the manifest has it: "open", or
	// "waitlist" (every booking goes on the waiting list); "closed" for a
	// session no longer in it.
	State string `json:"state"`
	// Capacity is the session's places, 0 for no limit.
	Capacity   int `json:"capacity"`
	Confirmed  int `json:"confirmed"`
	Waitlisted int `json:"waitlisted"`
	// Left is the places still free, nil when there is no limit; a
	// session that takes only waiting-list bookings has none left.
	Left *int `json:"left"`
	// Listed says the session is in the manifest (open for booking);
	// false for one with bookings that is past or was taken out of the
	// content, which is listed after the others so its bookings do not
	// vanish from the coordinator's view.
	Listed bool `json:"listed"`
}

// Places is the table of places at now: every session of the manifest in
// its order (by date), then the sessions with bookings that the manifest no
// longer lists, by id. A session of the manifest that has started, or
// whose bookings have closed, by now (the site not rebuilt since) is
// "closed" with no places left, as the server takes no more bookings for
// it.
func Places(m *formspec.Manifest, booked map[string]Booked, now time.Time) []Place {
	loc, err := time.LoadLocation(m.Timezone)
	if err != nil {
		loc = time.UTC
	}
	out := make([]Place, 0, len(m.Sessions))
	for _, ss := range m.Sessions {
		b := booked[ss.ID]
		p := Place{Session: ss.ID, Title: ss.Title, Start: ss.Start, State: ss.State, Capacity: ss.Capacity,
			Confirmed: b.Confirmed, Waitlisted: b.Waitlisted, Listed: true}
		if p.Title == "" {
			p.Title = ss.Label
		}
		switch {
		case sessionClosed(&ss, now, loc) != "":
			p.State, p.Left = "closed", new(0)
		case ss.State == "waitlist":
			p.Left = new(int)
		case ss.Capacity > 0:
			p.Left = new(max(0, ss.Capacity-b.Confirmed))
		}
		out = append(out, p)
	}
	var gone []string
	for id := range booked {
		if m.Session(id) == nil {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		b := booked[id]
		out = append(out, Place{Session: id, State: "closed", Confirmed: b.Confirmed, Waitlisted: b.Waitlisted})
	}
	return out
}

// date is a place's date for people: 2027-01-20 09:30, or for a session
// not in the manifest the date in its id (<course>/<YYYY-MM-DD>...).
func (p Place) date() string {
	if t, err := time.Parse(time.RFC3339, p.Start); err == nil {
		return t.Format("2006-01-02 15:04")
	}
	if _, d, ok := strings.Cut(p.Session, "/"); ok {
		return d
	}
	return ""
}

func (p Place) left() string {
	if p.Left == nil {
		return "no limit"
	}
	return strconv.Itoa(*p.Left)
}

// booking is the state for people.
func (p Place) booking() string {
	if p.State == "waitlist" {
		return "waiting list"
	}
	return p.State
}

func (p Place) capacity() string {
	if p.Capacity == 0 {
		return "no limit"
	}
	return strconv.Itoa(p.Capacity)
}

// WritePlacesText writes places as an aligned table for a terminal: the
// sessions open for booking, then, under a heading of their own, those
// no longer open that have bookings.
func WritePlacesText(w io.Writer, places []Place) error {
	var listed, gone [][]string
	for _, p := range places {
		if p.Listed {
			listed = append(listed, []string{p.Title, p.date(), p.booking(), p.capacity(), strconv.Itoa(p.Confirmed), strconv.Itoa(p.Waitlisted), p.left()})
		} else {
			gone = append(gone, []string{p.Session, strconv.Itoa(p.Confirmed), strconv.Itoa(p.Waitlisted)})
		}
	}
	var b strings.Builder
	if len(listed) == 0 {
		b.WriteString("No sessions are open for booking.\n")
	} else {
		writeTable(&b, []string{"Course", "Date", "Booking", "Places", "Confirmed", "Waiting list", "Left"}, listed, 3)
	}
	if len(gone) > 0 {
		b.WriteString("\nBookings for sessions no longer open for booking (past, or taken out of the content):\n")
		writeTable(&b, []string{"Session", "Confirmed", "Waiting list"}, gone, 1)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTable writes rows under header in columns two spaces apart, the
// first text columns flush left and the rest (figures) flush right.
func writeTable(b *strings.Builder, header []string, rows [][]string, text int) {
	width := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range append([][]string{header}, rows...) {
		var line strings.Builder
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < text {
				line.WriteString(c + pad)
			} else {
				line.WriteString(pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// WritePlacesCSV writes places as CSV that is safe to open in a
// spreadsheet (see WriteCSV); a session no longer open for booking has
// the state "closed" and no capacity.
func WritePlacesCSV(w io.Writer, places []Place) error {
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"session", "course", "start", "state", "capacity", "confirmed", "waitlisted", "left"})
	for _, p := range places {
		capacity, left := strconv.Itoa(p.Capacity), ""
		if p.Left != nil {
			left = strconv.Itoa(*p.Left)
		}
		if !p.Listed {
			capacity = ""
		}
		cw.Write(safeRow([]string{p.Session, p.Title, p.Start, p.State, capacity, strconv.Itoa(p.Confirmed), strconv.Itoa(p.Waitlisted), left}))
	}
	cw.Flush()
	return cw.Error()
}

// PlacesPath is where the form server answers with the places left, under
// the site's base path (and under / for a site elsewhere):
// {"<session id>": {"places": 12, "left": 3, "waitlist": 0}}, for every
// session open for booking ("left" left out where there is no limit).
// It holds counts only, nothing of anyone's answers.
const PlacesPath = "forms/places.json"

// placesTTL is how long the server answers from the counts it has: under a
// rush of page views the database is asked once a second at most. A
// booking on this server makes it count again at once.
const placesTTL = time.Second

// livePlace is one session in PlacesPath.
type livePlace struct {
	Places   int  `json:"places"`
	Left     *int `json:"left,omitempty"`
	Waitlist int  `json:"waitlist"`
}

// placesCache is the last answer to PlacesPath.
type placesCache struct {
	mu   sync.Mutex
	site *site // whose manifest it was made for
	at   time.Time
	body []byte
	etag string
}

// stale makes the next request count again.
func (c *placesCache) stale() {
	c.mu.Lock()
	c.site = nil
	c.mu.Unlock()
}

// places answers PlacesPath. Browsers must check again each time
// (no-cache) but get a 304 when nothing changed; any origin may read it,
// so that a site hosted elsewhere can show its places.
func (s *site) places(w http.ResponseWriter, r *http.Request) {
	body, etag, err := s.placesBody(r.Context())
	if err != nil {
		s.log.Error("places", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "The places cannot be counted just now."})
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// placesBody is the body of PlacesPath, counted again when the last count
// is older than placesTTL or was made for another manifest.
func (s *site) placesBody(ctx context.Context) ([]byte, string, error) {
	c := &s.Server.placesCache
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.opts.Now()
	if c.site == s && now.Sub(c.at) < placesTTL && !now.Before(c.at) {
		return c.body, c.etag, nil
	}
	booked, err := s.store.Bookings(ctx)
	if err != nil {
		return nil, "", err
	}
	live := make(map[string]livePlace, len(s.manifest.Sessions))
	for _, p := range Places(s.manifest, booked, now) {
		if p.Listed {
			live[p.Session] = livePlace{Places: p.Capacity, Left: p.Left, Waitlist: p.Waitlisted}
		}
	}
	body, err := json.Marshal(live)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(body)
	c.site, c.at, c.body, c.etag = s, now, body, `"`+hex.EncodeToString(sum[:8])+`"`
	return c.body, c.etag, nil
}
