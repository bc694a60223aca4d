// Package textfold is how text is folded for matching what a person types
// against what a page says: the search index's words and a form's long
// lists of names fold alike, so that "Zoe O'Neil" finds "Zoë O’Neil". The
// theme's scripts (search.js and forms.js) hold the same table as FOLD;
// their packages' tests keep each equal to Table.
package textfold

// Table pairs accented letters with what they fold to, and drops
// apostrophes.
var Table = [][2]string{
	{"àáâãäåāăą", "a"}, {"çćĉċč", "c"}, {"ďđ", "d"}, {"èéêëēĕėęě", "e"},
	{"ĝğġģ", "g"}, {"ĥħ", "h"}, {"ìíîïĩīĭįı", "i"}, {"ĵ", "j"}, {"ķ", "k"},
	{"ĺļľŀł", "l"}, {"ñńņňŉ", "n"}, {"òóôõöøōŏő", "o"}, {"ŕŗř", "r"},
	{"śŝşšș", "s"}, {"ţťŧț", "t"}, {"ùúûüũūŭůűų", "u"}, {"ŵ", "w"},
	{"ýÿŷ", "y"}, {"źżž", "z"}, {"ß", "ss"}, {"æ", "ae"}, {"œ", "oe"},
	{"þ", "th"}, {"ð", "d"}, {"'", ""}, {"’", ""}, {"ʼ", ""},
}

// runes is Table by rune. It is made once and never changed.
var runes = func() map[rune]string {
	m := map[rune]string{}
	for _, pair := range Table {
		for _, r := range pair[0] {
			m[r] = pair[1]
		}
	}
	return m
}()

// Rune returns what the lower-case rune r folds to, and whether the table
// folds it at all.
func Rune(r rune) (string, bool) {
	f, ok := runes[r]
	return f, ok
}
