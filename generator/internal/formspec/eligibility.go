package formspec

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/schema"
)

// Unmet is an eligibility criterion an application does not meet yet.
type Unmet struct {
	ID      string `json:"id"`
	Message string `json:"message"`
}

// Eligibility applies the manifest's supporters rules to applications. It
// evaluates them with package schema, on a supporter profile made from the
// answers, so an applicant is judged exactly as a published profile is.
type Eligibility struct {
	rules *schema.RuleSet
	loc   *time.Location
	byID  map[string]Rule
}

// NewEligibility compiles the manifest's rules.
func NewEligibility(m *Manifest) (*Eligibility, error) {
	loc, err := time.LoadLocation(m.Timezone)
	if err != nil {
		return nil, err
	}
	e := &Eligibility{loc: loc, byID: map[string]Rule{}}
	var rules []config.Rule
	for i, r := range m.Rules {
		cr := config.Rule{ID: r.ID, Field: r.Field, Message: r.Message, Present: r.Present, OneOf: r.OneOf,
			Min: r.Min, Max: r.Max, Path: fmt.Sprintf("rules.supporters[%d]", i)}
		for _, d := range []struct {
			s   string
			dst **config.Duration
		}{{r.AtLeastBefore, &cr.AtLeastBefore}, {r.AtMostBefore, &cr.AtMostBefore}} {
			if d.s == "" {
				continue
			}
			v, err := config.ParseDuration(d.s)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
			*d.dst = &v
		}
		for _, p := range []struct {
			s   string
			dst **config.Pattern
		}{{r.Matches, &cr.Matches}, {r.NotMatches, &cr.NotMatches}} {
			if p.s == "" {
				continue
			}
			re, err := regexp.Compile(p.s)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
			*p.dst = &config.Pattern{Regexp: re}
		}
		rules = append(rules, cr)
		e.byID[r.ID] = r
	}
	// The build checked the rules against the real vocabularies; here every
	// value a rule names is taken as a term of every vocabulary, so that
	// compiling them again checks nothing twice.
	var terms config.Vocabulary
	for _, r := range m.Rules {
		for _, v := range r.OneOf {
			terms = append(terms, config.Term{ID: v, Label: v})
		}
	}
	vocab := config.Vocabularies{Streams: terms, Regions: terms, Themes: terms, Audiences: terms, SchoolTypes: terms,
		Phases: terms, InspectionGrades: terms, Skills: terms}
	rs, diags := schema.CompileRules(&config.Config{Location: loc, Vocabularies: vocab, Rules: config.Rules{Supporters: rules}})
	if err := diags.Err(); err != nil {
		return nil, fmt.Errorf("eligibility rules: %w", err)
	}
	e.rules = rs
	return e, nil
}

// Check returns the criteria the answers to form f do not meet at date
// today, in the rules' order.
func (e *Eligibility) Check(f *Form, answers []Answer, today decode.Date) []Unmet {
	if e == nil || !f.Eligibility {
		return nil
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, a := range answers {
		fl := f.Field(a.Name)
		if fl == nil || fl.RuleField == "" || (a.Value == "" && a.Values == nil) {
			continue
		}
		var v *yaml.Node
		switch {
		case a.Values != nil:
			v = &yaml.Node{Kind: yaml.SequenceNode}
			for _, s := range a.Values {
				v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle})
			}
		case fl.Type == config.FieldCheckbox:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(a.Value == "yes")}
		case fl.Type == config.FieldDate:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: a.Value}
		default:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: a.Value, Style: yaml.DoubleQuotedStyle}
		}
		set(root, strings.Split(fl.RuleField, "."), v)
	}
	var sup content.Supporter
	d := &decode.Decoder{File: "application", Location: e.loc, Compact: true}
	d.Decode(root, &sup)
	p := &content.Page{Section: content.Supporters, Slug: "application", File: "application", Data: &sup, Meta: &sup.Common, Pos: d.Positions}
	var out []Unmet
	seen := map[string]bool{}
	for _, dg := range e.rules.Check(p, today) {
		if dg.Rule == "" || seen[dg.Rule] {
			continue
		}
		seen[dg.Rule] = true
		out = append(out, Unmet{ID: dg.Rule, Message: e.byID[dg.Rule].Message})
	}
	return out
}

// set puts v at the dotted path in a mapping node, making the mappings on
// the way.
func set(m *yaml.Node, path []string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == path[0] {
			if len(path) == 1 {
				m.Content[i+1] = v
			} else {
				set(m.Content[i+1], path[1:], v)
			}
			return
		}
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: path[0]}
	if len(path) == 1 {
		m.Content = append(m.Content, k, v)
		return
	}
	sub := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, k, sub)
	set(sub, path[1:], v)
}
