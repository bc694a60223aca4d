package forms

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzSubmit posts arbitrary bodies to every form of the test site: the
// server never fails (5xx), and whatever it stores is within its field's
// limit.
func FuzzSubmit(f *testing.F) {
	for _, s := range []string{okRequest, okRequest + "&skills=send&skills=finance&started=1/9/2019", "session=day%2F2027-01-20&name=A", "headship_since=2019-01-01&local_knowledge=yes", "%zz", "homepage=x", "_visit=" + "abcdefgh12"} {
		f.Add("request-support", s)
		f.Add("book-training", s)
		f.Add("offer-support", s)
	}
	s, store := newTestServer(f, Options{Burst: 1 << 30})
	f.Fuzz(func(t *testing.T, form, body string) {
		w := post(s.Handler(), "/forms/"+url.PathEscape(form), body, map[string]string{"Accept": "application/json"})
		if w.Code >= 500 {
			t.Fatalf("POST /forms/%s %q: %d %s", form, body, w.Code, w.Body)
		}
		fm := s.Manifest().Form(form)
		if fm == nil || w.Code != http.StatusOK {
			return
		}
		rs, err := store.Records(context.Background(), form, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			for _, a := range r.Answers {
				fl := fm.Field(a.Name)
				if fl == nil {
					t.Fatalf("stored %s, which form %s does not have", a.Name, form)
				}
				for _, v := range append([]string{a.Value}, a.Values...) {
					if !utf8.ValidString(v) || utf8.RuneCountInString(v) > fl.MaxLength {
						t.Fatalf("stored %s = %q beyond its limit", a.Name, v)
					}
				}
			}
		}
	})
}
