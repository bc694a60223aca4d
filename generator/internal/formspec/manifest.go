// Package formspec is what the site's forms and the form server share: the
// forms manifest the build writes (definitions with their choices resolved
// from content, the sessions open for booking, the eligibility rules), the
// validation of answers against it, the eligibility check, and the HTML of a
// form, so that a page built by the generator and a page the server sends
// back with errors are the same form.
package formspec

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"peerpress/generator/internal/config"
)

// ManifestPath is where the build writes the manifest, relative to public/.
const ManifestPath = "forms/manifest.json"

// Manifest is everything the form server needs to know about a site; it
// holds nothing that the published pages do not already show.
type Manifest struct {
	// BaseURL is the site's address; BasePath its path ("/").
	BaseURL  string `json:"base_url"`
	BasePath string `json:"base_path"`
	// SameOrigin says the forms post to the server on the site's own
	// origin, so the server redirects to paths rather than to BaseURL.
	SameOrigin bool   `json:"same_origin"`
	Timezone   string `json:"timezone"`
	Forms      []Form `json:"forms"`
	// Sessions are the training sessions that take bookings.
	Sessions []Session `json:"sessions"`
	// Rules are the supporters rules that eligibility forms apply.
	Rules []Rule `json:"rules,omitempty"`
}

// Form is one form with its choices resolved.
type Form struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Intro   string `json:"intro,omitempty"`
	Submit  string `json:"submit"`
	Consent string `json:"consent,omitempty"`
	// Action is where the form posts; URL is its page's site path and
	// ThanksURL its thank-you page's.
	Action      string  `json:"action"`
	URL         string  `json:"url"`
	ThanksURL   string  `json:"thanks_url"`
	ThanksTitle string  `json:"thanks_title"`
	ThanksText  string  `json:"thanks_text"`
	Eligibility bool    `json:"eligibility,omitempty"`
	Fields      []Field `json:"fields"`
	// External says the form posts to a third-party service, which gets
	// none of the form server's own hidden fields.
	External bool `json:"external,omitempty"`
}

// Field is one question with its choices resolved.
type Field struct {
	Name         string   `json:"name"`
	Label        string   `json:"label,omitempty"`
	Type         string   `json:"type"`
	Help         string   `json:"help,omitempty"`
	Required     bool     `json:"required,omitempty"`
	MinLength    int      `json:"min_length,omitempty"`
	MaxLength    int      `json:"max_length"`
	From         string   `json:"from,omitempty"`
	Choices      []Option `json:"choices,omitempty"`
	Autocomplete string   `json:"autocomplete,omitempty"`
	RuleField    string   `json:"rule_field,omitempty"`
	// ChoicesURL is set on a choice field with more choices than its
	// list limit: the address of its choices file (ChoicesFile), which
	// makes it a text box that suggests them rather than a drop-down.
	ChoicesURL string `json:"choices_url,omitempty"`
}

// Option is one choice.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
	// Hint tells apart choices whose labels may be the same, such as two
	// supporters of one name (their schools); a text box that suggests
	// choices shows it under the label.
	Hint string `json:"hint,omitempty"`
}

// Session is a training session open for booking.
type Session struct {
	ID     string `json:"id"`
	Course string `json:"course"`
	Label  string `json:"label"`
	// Title is the course's title and Start when the session starts
	// (RFC 3339, in the site's time zone), for the coordinator's table of
	// places (generator forms places); older manifests have neither.
	Title string `json:"title,omitempty"`
	Start string `json:"start,omitempty"`
	// Closes is the last day bookings are taken (2027-01-11), when the
	// content sets one (booking_closes); "" takes them until the start.
	Closes string `json:"closes,omitempty"`
	// Capacity is the number of places; 0 means no limit.
	Capacity int `json:"capacity"`
	// State is "open" or "waitlist" (every booking goes on the waiting
	// list).
	State string `json:"state"`
}

// Rule is an eligibility rule, as site.yaml states it.
type Rule struct {
	ID            string   `json:"id"`
	Field         string   `json:"field"`
	Message       string   `json:"message"`
	Present       bool     `json:"present,omitempty"`
	OneOf         []string `json:"one_of,omitempty"`
	Min           *int64   `json:"min,omitempty"`
	Max           *int64   `json:"max,omitempty"`
	AtLeastBefore string   `json:"at_least_before,omitempty"`
	AtMostBefore  string   `json:"at_most_before,omitempty"`
	Matches       string   `json:"matches,omitempty"`
	NotMatches    string   `json:"not_matches,omitempty"`
}

// Sources are the lists from content that choices can be taken from.
type Sources struct {
	// Supporters are the supporters that can be requested (slug, name).
	Supporters []Option
	// Sessions are the sessions open for booking.
	Sessions []Session
}

// Build resolves the site's form definitions against its content.
func Build(cfg *config.Config, src Sources) (*Manifest, error) {
	m := &Manifest{
		BaseURL:    cfg.BaseURL,
		BasePath:   cfg.BasePath(),
		SameOrigin: cfg.Forms.Endpoint == "",
		Timezone:   cfg.Timezone,
		Sessions:   src.Sessions,
	}
	if m.Sessions == nil {
		m.Sessions = []Session{}
	}
	needRules := map[string]bool{}
	for _, d := range cfg.Forms.Definitions {
		f := Form{
			Name: d.Name, Title: d.Title, Intro: d.Intro, Submit: d.Submit, Consent: d.Consent,
			URL: "/forms/" + d.Name + "/", ThanksURL: "/forms/" + d.Name + "/thanks/",
			ThanksTitle: d.ThankYou.Title, ThanksText: d.ThankYou.Text, Eligibility: d.Eligibility,
		}
		if f.Submit == "" {
			f.Submit = "Send"
		}
		if f.ThanksTitle == "" {
			f.ThanksTitle = "Thank you"
		}
		f.Action, f.External = Action(cfg, &d)
		for _, df := range d.Fields {
			fl := Field{Name: df.Name, Label: df.Label, Type: df.Type, Help: df.Help, Required: df.Required,
				MinLength: df.MinLength, MaxLength: df.Limit(), From: df.From, Autocomplete: df.Autocomplete, RuleField: df.RuleField}
			switch df.From {
			case "":
				for _, t := range df.Choices {
					fl.Choices = append(fl.Choices, Option{Value: t.ID, Label: t.Label})
				}
			case config.FromSupporters:
				fl.Choices = src.Supporters
			case config.FromOpenSessions:
				for _, s := range src.Sessions {
					fl.Choices = append(fl.Choices, Option{Value: s.ID, Label: s.Label})
				}
			default:
				for _, t := range cfg.Vocabularies.Vocabulary(df.From) {
					fl.Choices = append(fl.Choices, Option{Value: t.ID, Label: t.Label})
				}
				if len(fl.Choices) == 0 {
					return nil, fmt.Errorf("forms: %s: field %s takes its choices from vocabularies.%s, which is empty", d.Name, df.Name, df.From)
				}
			}
			if df.Type == config.FieldChoice && len(fl.Choices) > df.ListLimit() {
				fl.ChoicesURL = cfg.BasePath() + choicesPath(d.Name, &fl)
			}
			if df.RuleField != "" {
				needRules[df.RuleField] = true
			}
			f.Fields = append(f.Fields, fl)
		}
		m.Forms = append(m.Forms, f)
	}
	for _, r := range cfg.Rules.Supporters {
		if r.Broken || !needRules[r.Field] {
			continue
		}
		mr := Rule{ID: r.ID, Field: r.Field, Message: r.Message, Present: r.Present, OneOf: r.OneOf, Min: r.Min, Max: r.Max}
		if r.AtLeastBefore != nil {
			mr.AtLeastBefore = r.AtLeastBefore.String()
		}
		if r.AtMostBefore != nil {
			mr.AtMostBefore = r.AtMostBefore.String()
		}
		if r.Matches != nil && r.Matches.Regexp != nil {
			mr.Matches = r.Matches.String()
		}
		if r.NotMatches != nil && r.NotMatches.Regexp != nil {
			mr.NotMatches = r.NotMatches.String()
		}
		m.Rules = append(m.Rules, mr)
	}
	return m, nil
}

// Action is where a form posts, and whether that is a third-party service.
func Action(cfg *config.Config, d *config.Form) (string, bool) {
	ep := cfg.Forms.Endpoint
	if d.Endpoint != "" {
		ep = d.Endpoint
	}
	switch {
	case ep == "":
		return cfg.BasePath() + "forms/" + d.Name, false
	case strings.Contains(ep, "{form}"):
		return strings.ReplaceAll(ep, "{form}", d.Name), true
	}
	return strings.TrimSuffix(ep, "/") + "/forms/" + d.Name, false
}

// Form returns the named form, or nil.
func (m *Manifest) Form(name string) *Form {
	for i := range m.Forms {
		if m.Forms[i].Name == name {
			return &m.Forms[i]
		}
	}
	return nil
}

// Session returns the session of that id, or nil.
func (m *Manifest) Session(id string) *Session {
	for i := range m.Sessions {
		if m.Sessions[i].ID == id {
			return &m.Sessions[i]
		}
	}
	return nil
}

// Field returns the named field, or nil.
func (f *Form) Field(name string) *Field {
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			return &f.Fields[i]
		}
	}
	return nil
}

// BookingField is the field that names a session, or nil if the form takes
// no bookings.
func (f *Form) BookingField() *Field {
	for i := range f.Fields {
		if f.Fields[i].From == config.FromOpenSessions {
			return &f.Fields[i]
		}
	}
	return nil
}

// ChoicesFiles are the choices files of the manifest's forms, by path
// relative to public/.
func (m *Manifest) ChoicesFiles() map[string][]byte {
	files := map[string][]byte{}
	for i := range m.Forms {
		for j := range m.Forms[i].Fields {
			if fl := &m.Forms[i].Fields[j]; fl.Searchable() {
				files[strings.TrimPrefix(fl.ChoicesURL, m.BasePath)] = fl.ChoicesFile()
			}
		}
	}
	return files
}

// Marshal encodes the manifest (compactly: it is read, not edited).
func (m *Manifest) Marshal() ([]byte, error) { return json.Marshal(m) }

// Parse decodes a manifest written by Marshal.
func Parse(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("forms manifest: %w", err)
	}
	if _, err := time.LoadLocation(m.Timezone); err != nil {
		return nil, fmt.Errorf("forms manifest: time zone: %w", err)
	}
	return &m, nil
}
