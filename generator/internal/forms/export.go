package forms

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"
)

// WriteCSV writes records as CSV (RFC 4180) that is safe to open in a
// spreadsheet: a cell that starts with = + - @, a tab or a carriage return
// is prefixed with ' so it is shown as text, never run as a formula. The
// columns are the receipt, when, session, status, the criteria not met, and
// every field that any record answers, in the order first seen.
func WriteCSV(w io.Writer, records []Record) error {
	var fields []string
	for _, r := range records {
		for _, a := range r.Answers {
			if !slices.Contains(fields, a.Name) {
				fields = append(fields, a.Name)
			}
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := append([]string{"receipt", "created", "session", "status", "criteria_not_met"}, fields...)
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
			cell := ""
			for _, a := range r.Answers {
				if a.Name == f {
					cell = a.Text()
				}
			}
			row = append(row, cell)
		}
		if err := cw.Write(safeRow(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
