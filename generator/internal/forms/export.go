package forms

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"
)

// BOM is the byte order mark the CSV starts with: without it Excel reads a
// CSV file in the machine's legacy code page, and "Zoë Ó Súilleabháin"
// comes out as "ZoÃ« Ã“ SÃºilleabhÃ¡in". Other spreadsheets and Python's
// utf-8-sig read it as the mark it is.
const BOM = "\ufeff"

// fixedColumns are the columns of every export, before the answers.
var fixedColumns = []string{"receipt", "created", "session", "status", "criteria_not_met"}

// WriteCSV writes records as CSV (RFC 4180, UTF-8 with a BOM) that is safe
// to open in a spreadsheet: a cell that starts with = + - @, a tab or a
// carriage return is prefixed with ' so it is shown as text, never run as a
// formula. The columns are the receipt, when, session, status, the criteria
// not met, and every field that any record answers, in the order first
// seen (see answerColumns).
func WriteCSV(w io.Writer, records []Record) error {
	fields, headings := answerColumns(records)
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := append(slices.Clone(fixedColumns), headings...)
	if err := cw.Write(safeRow(header)); err != nil {
		return err
	}
	for _, r := range records {
		var unmet []string
		for _, u := range r.Unmet {
			unmet = append(unmet, u.ID)
		}
		row := []string{r.Receipt, r.Created.UTC().Format(time.RFC3339), r.Session, r.Status, strings.Join(unmet, " ")}
		for _, f := range fields {
			row = append(row, answerText(r, f))
		}
		if err := cw.Write(safeRow(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// answerColumns returns the fields the records answer, in the order first
// seen, and their columns' headings. A booking form's session field
// repeats the session column, so it is left out rather than make a second
// column of the same name (which a spreadsheet or a CSV library would mix
// up with the first); a field named as another fixed column but answering
// something else is headed "answer_<name>".
func answerColumns(records []Record) (fields, headings []string) {
	for _, r := range records {
		for _, a := range r.Answers {
			if !slices.Contains(fields, a.Name) {
				fields = append(fields, a.Name)
			}
		}
	}
	fields = slices.DeleteFunc(fields, func(f string) bool {
		return f == "session" && !slices.ContainsFunc(records, func(r Record) bool { return answerText(r, f) != r.Session })
	})
	for _, f := range fields {
		h := f
		for slices.Contains(fixedColumns, h) || slices.Contains(headings, h) {
			h = "answer_" + h
		}
		headings = append(headings, h)
	}
	return fields, headings
}

// answerText is r's answer to field f as one cell, "" when unanswered.
func answerText(r Record, f string) string {
	for _, a := range r.Answers {
		if a.Name == f {
			return a.Text()
		}
	}
	return ""
}

func safeRow(row []string) []string {
	for i, c := range row {
		row[i] = SafeCell(c)
	}
	return row
}

// SafeCell neutralises a cell a spreadsheet would take for a formula.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteJSON writes records (submissions, or places) as an indented JSON
// array, [] when there are none.
func WriteJSON[T Record | Place](w io.Writer, records []T) error {
	if records == nil {
		records = []T{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(records)
}
