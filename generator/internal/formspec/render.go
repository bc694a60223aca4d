package formspec

import (
	"bytes"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/htmlmin"
)

// View is what Render shows: a form, with the values and problems of a
// failed attempt when the server sends it back.
type View struct {
	Form   *Form
	Values url.Values
	Errors []FieldError
	// Prefix starts every id, so that several forms can share a page.
	Prefix string
	// Fixed are fields sent as hidden values instead of being asked, such
	// as the session of a "book a place" form beside that session.
	Fixed map[string]string
	// Criteria are the eligibility rules, shown as a hint above the
	// fields of an eligibility form.
	Criteria []Rule
	// Prefill lets the page's script fill fields from the query string.
	Prefill bool
}

type fieldView struct {
	*Field
	ID, Error, Value, Describedby string
	// Hint is the help text, with an example for a date.
	Hint    string
	Checked map[string]bool
	Fixed   bool
	// Options are a drop-down's choices: the field's, or, for a
	// searchable field sent back with a name that names none, those it
	// may mean (Candidates), with their hints.
	Options []Option
	// Search says the field is a text box that suggests its choices;
	// Chosen is then the value of the choice its text (Value, the
	// choice's label) names.
	Search bool
	Chosen string
}

// formTemplate is minified as HTML when it is parsed, as layouts are: the
// pages a form is put in are not minified as a whole.
var formTemplate = template.Must(template.New("form").Parse(htmlmin.TemplateOrSource(`<form class="form" method="post" action="{{.Form.Action}}" novalidate data-pp-form{{if .Prefill}} data-prefill{{end}}>
{{- if .Errors}}
<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="{{.Prefix}}error-title" data-pp-errors>
<h2 class="error-summary__title" id="{{.Prefix}}error-title">There is a problem</h2>
<ul>{{range .Errors}}<li>{{if .Field}}<a href="#{{$.Prefix}}{{.Field}}">{{.Message}}</a>{{else}}{{.Message}}{{end}}</li>{{end}}</ul>
</div>
{{- end}}
{{- with .Criteria}}
<div class="criteria">
<h2>What the scheme looks for</h2>
<ul>{{range .}}<li>{{.Message}}</li>{{end}}</ul>
<p>Apply even if you do not meet every point yet: the coordinator reads every application, and your answers show which points are still to come.</p>
</div>
{{- end}}
{{- range .Fields}}
{{- if .Fixed}}
<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{- else if eq .Type "hidden"}}
<input type="hidden" id="{{.ID}}" name="{{.Name}}" value="{{.Value}}">
{{- else if or (eq .Type "multi-choice") (eq .Type "checkbox")}}
<div class="field{{if .Error}} field--error{{end}}">
<fieldset{{with .Describedby}} aria-describedby="{{.}}"{{end}}>
<legend>{{.Label}}{{if not .Required}} (optional){{end}}</legend>
{{- if .Hint}}<p class="hint" id="{{.ID}}-hint">{{.Hint}}</p>{{end}}
{{- if .Error}}<p class="error-message" id="{{.ID}}-error"><span class="visually-hidden">Error:</span> {{.Error}}</p>{{end}}
{{- if eq .Type "checkbox"}}
<div class="checkbox"><input type="checkbox" id="{{.ID}}" name="{{.Name}}" value="yes"{{if index .Checked "yes"}} checked{{end}}><label for="{{.ID}}">Yes</label></div>
{{- else}}
{{- $f := .}}{{range $i, $c := .Choices}}
<div class="checkbox"><input type="checkbox" id="{{$f.ID}}{{if $i}}-{{$i}}{{end}}" name="{{$f.Name}}" value="{{$c.Value}}"{{if index $f.Checked $c.Value}} checked{{end}}><label for="{{$f.ID}}{{if $i}}-{{$i}}{{end}}">{{$c.Label}}</label></div>
{{- end}}
{{- end}}
</fieldset>
</div>
{{- else}}
<div class="field{{if .Error}} field--error{{end}}">
<label for="{{.ID}}">{{.Label}}{{if not .Required}} (optional){{end}}</label>
{{- if .Search}}<p class="hint" id="{{.ID}}-hint">{{with .Hint}}{{.}} {{end}}<span data-pp-how>Type it as this site shows it. If you type part of it, you can choose from what matches when you send the form.</span></p>
{{- else if .Hint}}<p class="hint" id="{{.ID}}-hint">{{.Hint}}</p>{{end}}
{{- if .Error}}<p class="error-message" id="{{.ID}}-error"><span class="visually-hidden">Error:</span> {{.Error}}</p>{{end}}
{{- if eq .Type "textarea"}}
<textarea class="input" id="{{.ID}}" name="{{.Name}}" rows="6" maxlength="{{.MaxLength}}"{{if .Required}} required{{end}}{{with .Autocomplete}} autocomplete="{{.}}"{{end}}{{with .Describedby}} aria-describedby="{{.}}"{{end}}{{if .Error}} aria-invalid="true"{{end}}>{{.Value}}</textarea>
{{- else if .Search}}
<div class="combobox" data-pp-combobox><input class="input" id="{{.ID}}" name="{{.Name}}" type="text" value="{{.Value}}"{{with .Chosen}} data-value="{{.}}"{{end}} data-choices="{{.ChoicesURL}}" maxlength="{{.MaxLength}}"{{if .Required}} required{{end}} autocomplete="off" autocapitalize="none" spellcheck="false"{{with .Describedby}} aria-describedby="{{.}}"{{end}}{{if .Error}} aria-invalid="true"{{end}}></div>
{{- else if eq .Type "choice"}}
<select class="input" id="{{.ID}}" name="{{.Name}}"{{if .Required}} required{{end}}{{with .Autocomplete}} autocomplete="{{.}}"{{end}}{{with .Describedby}} aria-describedby="{{.}}"{{end}}{{if .Error}} aria-invalid="true"{{end}}>
<option value="">{{if .Required}}Choose…{{else}}No preference{{end}}</option>
{{- $v := .Value}}{{range .Options}}
<option value="{{.Value}}"{{if eq .Value $v}} selected{{end}}>{{.Label}}{{with .Hint}} ({{.}}){{end}}</option>
{{- end}}
</select>
{{- else}}
<input class="input{{if eq .Type "date"}} input--date{{end}}" id="{{.ID}}" name="{{.Name}}" type="{{if eq .Type "email"}}email{{else}}text{{end}}" value="{{.Value}}" maxlength="{{if eq .Type "date"}}40{{else}}{{.MaxLength}}{{end}}"{{if .Required}} required{{end}}{{if eq .Type "email"}} spellcheck="false"{{end}}{{with .Autocomplete}} autocomplete="{{.}}"{{end}}{{with .Describedby}} aria-describedby="{{.}}"{{end}}{{if .Error}} aria-invalid="true"{{end}}>
{{- end}}
</div>
{{- end}}
{{- end}}
{{- with .Consent}}
<div class="field{{if $.ConsentError}} field--error{{end}}">
<fieldset aria-describedby="{{$.Prefix}}consent-hint{{if $.ConsentError}} {{$.Prefix}}consent-error{{end}}">
<legend>How your answers are used</legend>
<p class="hint" id="{{$.Prefix}}consent-hint">{{.}}</p>
{{- with $.ConsentError}}<p class="error-message" id="{{$.Prefix}}consent-error"><span class="visually-hidden">Error:</span> {{.}}</p>{{end}}
<div class="checkbox"><input type="checkbox" id="{{$.Prefix}}consent" name="consent" value="yes"{{if $.ConsentChecked}} checked{{end}}><label for="{{$.Prefix}}consent">I agree</label></div>
</fieldset>
</div>
{{- end}}
{{- if not .Form.External}}
<div class="form-hp" aria-hidden="true"><label for="{{.Prefix}}homepage">Leave this field empty</label><input id="{{.Prefix}}homepage" name="homepage" type="text" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="_visit" value=""><input type="hidden" name="_elapsed" value="">
{{- end}}
<button class="button" type="submit">{{.Form.Submit}}</button>
</form>`)))

// Render returns the HTML of a form.
func Render(v View) (template.HTML, error) {
	prefix := v.Prefix
	if prefix == "" {
		prefix = "f-"
	}
	errOf := func(name string) string {
		for _, e := range v.Errors {
			if e.Field == name {
				return e.Message
			}
		}
		return ""
	}
	var fields []fieldView
	for i := range v.Form.Fields {
		fl := &v.Form.Fields[i]
		fv := fieldView{Field: fl, ID: prefix + fl.Name, Error: errOf(fl.Name), Value: v.Values.Get(fl.Name), Checked: map[string]bool{}}
		if val, ok := v.Fixed[fl.Name]; ok {
			fv.Fixed, fv.Value = true, val
		}
		for _, s := range v.Values[fl.Name] {
			if fl.Type == config.FieldCheckbox && isYes(s) {
				s = "yes"
			}
			fv.Checked[s] = true
		}
		fv.Hint = fl.Help
		if fl.Type == config.FieldDate {
			fv.Hint = strings.TrimSpace(fl.Help + " For example, 27/3/2019.")
		}
		fv.Options = fl.Choices
		if fl.Searchable() && !fv.Fixed {
			fv.searchable(fv.Error != "")
		}
		var ids []string
		if fv.Hint != "" || fv.Search {
			ids = append(ids, prefix+fl.Name+"-hint")
		}
		if fv.Error != "" {
			ids = append(ids, prefix+fl.Name+"-error")
		}
		fv.Describedby = joinSpace(ids)
		fields = append(fields, fv)
	}
	data := struct {
		View
		Prefix         string
		Fields         []fieldView
		Consent        string
		ConsentError   string
		ConsentChecked bool
	}{v, prefix, fields, v.Form.Consent, errOf(ConsentField), isYes(v.Values.Get(ConsentField))}
	// Errors are listed in the form's order, the consent last.
	data.Errors = slices.Clone(v.Errors)
	var buf bytes.Buffer
	if err := formTemplate.Execute(&buf, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// searchable sets up a field with a long list of choices: a text box
// showing the label of the choice its value names, or what was typed; or,
// when a typed name named none but a few choices match it, a drop-down of
// those (failed says the form was sent back for this field).
func (fv *fieldView) searchable(failed bool) {
	fv.Search = true
	if i := choiceIndex(fv.Field, fv.Value); i >= 0 {
		fv.Chosen, fv.Value = fv.Value, fv.Choices[i].Label
		return
	}
	if failed && fv.Value != "" {
		if c := fv.Candidates(fv.Value); len(c) > 0 {
			fv.Search, fv.Options = false, c
		}
	}
}

func joinSpace(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// ResultView is what a thank-you page shows of one submission.
type ResultView struct {
	Receipt string
	// Status is "received", "confirmed" or "waitlisted".
	Status string
	Unmet  []Unmet
}

// resultTemplate is minified when it is parsed, as formTemplate is.
var resultTemplate = template.Must(template.New("result").Parse(htmlmin.TemplateOrSource(`<section class="receipt" id="pp-result" aria-labelledby="pp-result-title">
<h2 id="pp-result-title">{{if eq .Status "waitlisted"}}You are on the waiting list{{else if eq .Status "confirmed"}}Your place is booked{{else}}We have your answers{{end}}</h2>
{{- if eq .Status "waitlisted"}}<p>The session is full, so your booking is on the waiting list. The coordinator will tell you if a place comes free.</p>{{end}}
{{- with .Receipt}}<p>Your reference is <strong class="receipt__id">{{.}}</strong>. Quote it if you contact the coordinator.</p>{{end}}
{{- with .Unmet}}<p>Your application does not meet these points yet; the coordinator will talk them through with you:</p>
<ul>{{range .}}<li>{{.Message}}</li>{{end}}</ul>{{end}}
</section>`)))

// RenderResult returns the HTML of a submission's result, which replaces
// the generic one of a thank-you page.
func RenderResult(v ResultView) (template.HTML, error) {
	var buf bytes.Buffer
	if err := resultTemplate.Execute(&buf, v); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}
