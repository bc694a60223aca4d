package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"peerpress/generator/internal/formspec"
)

const formsYAML = `
forms:
  endpoint: %s
  definitions:
    - name: request-support
      title: Request a supporter
      consent: We keep your answers safe.
      fields:
        - {name: supporter, label: Supporter, type: choice, from: supporters%above}
        - {name: name, label: Your name, type: text, required: true, autocomplete: name}
    - name: book-training
      title: Book a place
      fields:
        - {name: session, label: Session, type: choice, from: open-sessions, required: true}
        - {name: name, label: Your name, type: text, required: true}
`

// buildWithForms builds the basic fixture with forms: added to its
// site.yaml, and returns the public directory.
func buildWithForms(t *testing.T, endpoint string) string {
	t.Helper()
	return buildWithFormsYAML(t, strings.Replace(formsYAML, "%above", "", 1), endpoint)
}

// buildWithFormsYAML is buildWithForms with the forms: given.
func buildWithFormsYAML(t *testing.T, yaml, endpoint string) string {
	t.Helper()
	a, err := txtar.ParseFile("testdata/sites/basic.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Files {
		if a.Files[i].Name == "site.yaml" {
			a.Files[i].Data = append(slices.Clone(a.Files[i].Data), strings.Replace(yaml, "%s", endpoint, 1)...)
		}
	}
	src := t.TempDir()
	extract(t, a, src)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), fixtureOptions(t, a, src, dest)); err != nil {
		var ce *ContentError
		if errors.As(err, &ce) {
			t.Fatalf("build: %v", ce.Diags)
		}
		t.Fatalf("build: %v", err)
	}
	return dest
}

func read(t *testing.T, dir, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFormsOutputs checks what forms: adds to a site: a page and a
// thank-you page per form, the manifest, the request link on profiles and
// a booking form beside each open session only.
func TestFormsOutputs(t *testing.T) {
	dest := buildWithForms(t, `""`)
	m, err := formspec.Parse([]byte(read(t, dest, formspec.ManifestPath)))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Forms); got != 2 {
		t.Fatalf("manifest has %d forms, want 2", got)
	}
	if m.BasePath != "/peer/" || m.Form("request-support").Action != "/peer/forms/request-support" {
		t.Errorf("manifest base %q, action %q", m.BasePath, m.Form("request-support").Action)
	}
	if len(m.Sessions) != 1 || m.Sessions[0].State != "waitlist" {
		t.Errorf("sessions = %+v, want the one upcoming (waitlist) session", m.Sessions)
	}
	for _, o := range m.Form("request-support").Field("supporter").Choices {
		if o.Value == "cat-cole" {
			t.Errorf("an unavailable supporter can be requested")
		}
	}
	page := read(t, dest, "forms/request-support/index.html")
	for _, want := range []string{`action="/peer/forms/request-support"`, `<label for="f-name">Your name</label>`, `autocomplete="name"`, `/peer/assets/forms.`, `name="_visit"`} {
		if !strings.Contains(page, want) {
			t.Errorf("form page lacks %s", want)
		}
	}
	read(t, dest, "forms/request-support/thanks/index.html")
	if p := read(t, dest, "supporters/ann-able/index.html"); !strings.Contains(p, `href="/peer/forms/request-support/?supporter=ann-able"`) || strings.Contains(p, "mailto:") && strings.Contains(p, "Request for peer support") {
		t.Errorf("profile does not link to the request form")
	}
	course := read(t, dest, "training/day/index.html")
	if n := strings.Count(course, "data-pp-form"); n != 1 {
		t.Errorf("course page has %d booking forms, want 1 (the past session has none)", n)
	}
	if !strings.Contains(course, `<input type="hidden" name="session" value="day/2027-04-15">`) || strings.Contains(course, "Booking: ") {
		t.Errorf("course page's booking form lacks its hidden session, or keeps the mailto link")
	}

	off := buildWithForms(t, "none")
	if _, err := os.Stat(filepath.Join(off, "forms")); err == nil {
		t.Errorf("endpoint: none still writes forms/")
	}
	if p := read(t, off, "supporters/ann-able/index.html"); !strings.Contains(p, "mailto:") {
		t.Errorf("endpoint: none drops the mailto link")
	}
}

// TestFormsLongList checks a choice field with more choices than its
// search_above: the page has a text box that names the choices file, not
// the choices; the file is written, fingerprinted, under the base path;
// and profiles still link to the form with the supporter chosen.
func TestFormsLongList(t *testing.T) {
	dest := buildWithFormsYAML(t, strings.Replace(formsYAML, "%above", ", search_above: 1", 1), `""`)
	m, err := formspec.Parse([]byte(read(t, dest, formspec.ManifestPath)))
	if err != nil {
		t.Fatal(err)
	}
	fl := m.Form("request-support").Field("supporter")
	if !strings.HasPrefix(fl.ChoicesURL, "/peer/forms/supporters.") || len(fl.Choices) < 2 {
		t.Fatalf("choices URL %q with %d choices", fl.ChoicesURL, len(fl.Choices))
	}
	body := read(t, dest, strings.TrimPrefix(fl.ChoicesURL, "/peer/"))
	if body != string(fl.ChoicesFile()) || !strings.Contains(body, `["ann-able","Ann Able"`) {
		t.Errorf("choices file %s", body)
	}
	page := read(t, dest, "forms/request-support/index.html")
	if !strings.Contains(page, `data-choices="`+fl.ChoicesURL+`"`) || strings.Contains(page, `<option value="ann-able"`) {
		t.Errorf("form page does not name the choices file, or lists them")
	}
	if p := read(t, dest, "supporters/ann-able/index.html"); !strings.Contains(p, `href="/peer/forms/request-support/?supporter=ann-able"`) {
		t.Errorf("profile does not link to the request form")
	}
	if book := read(t, dest, "forms/book-training/index.html"); strings.Contains(book, "data-choices") {
		t.Errorf("a short list is not a drop-down")
	}
}
