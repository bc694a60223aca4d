package content

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/decode"
)

// Common holds the front-matter fields every type accepts.
type Common struct {
	Title   string      `yaml:"title"`
	Summary string      `yaml:"summary"`
	Draft   bool        `yaml:"draft"`
	Date    decode.Date `yaml:"date"`
	Aliases []string    `yaml:"aliases"`
	Tags    []string    `yaml:"tags"`
	// Layout names a layout to use instead of the section's own.
	Layout string `yaml:"layout"`
}

// HomePage is content/_index.md: the home page's text and what it features.
type HomePage struct {
	Common `yaml:",inline"`
	// FeaturedNetworks are network slugs shown first on the home page; when
	// empty, open networks are shown.
	FeaturedNetworks []string `yaml:"featured_networks"`
	// FeaturedTestimonial is a testimonial slug; when empty, the first
	// published testimonial is shown.
	FeaturedTestimonial string `yaml:"featured_testimonial"`
}

// Range is a {min, max} pair of whole numbers.
type Range struct {
	Min int `yaml:"min" pp:"min=0"`
	Max int `yaml:"max" pp:"min=0"`
}

// Network is content/networks/<slug>.md: a peer-support network, triad or
// cluster.
type Network struct {
	Common          `yaml:",inline"`
	Stream          string   `yaml:"stream" pp:"required,vocab=streams"`
	Regions         []string `yaml:"regions" pp:"vocab=regions"`
	Diocese         string   `yaml:"diocese"`
	Format          string   `yaml:"format" pp:"enum=network|triad|cluster"`
	GroupSize       *Range   `yaml:"group_size"`
	SessionsPerYear *Range   `yaml:"sessions_per_year"`
	SessionLength   string   `yaml:"session_length"`
	Themes          []string `yaml:"themes" pp:"vocab=themes"`
	Audience        []string `yaml:"audience" pp:"vocab=audiences"`
	SchoolKinds     []string `yaml:"school_kinds"`
	MemberSchools   *int     `yaml:"member_schools" pp:"min=0"`
	Status          string   `yaml:"status" pp:"enum=open|full|closed"`
	Join            string   `yaml:"join"`
}

// Supporter is content/supporters/<slug>.md: a peer supporter's profile.
type Supporter struct {
	Common         `yaml:",inline"`
	Name           string      `yaml:"name" pp:"required"`
	Role           string      `yaml:"role" pp:"required"`
	School         School      `yaml:"school" pp:"required"`
	Region         string      `yaml:"region" pp:"required,vocab=regions"`
	HeadshipSince  decode.Date `yaml:"headship_since"`
	Training       Completion  `yaml:"training"`
	Coaching       string      `yaml:"coaching"`
	LocalKnowledge bool        `yaml:"local_knowledge"`
	Skills         []string    `yaml:"skills" pp:"vocab=skills"`
	Networks       []string    `yaml:"networks"`
	Availability   string      `yaml:"availability" pp:"enum=available|limited|unavailable"`
	Caseload       *int        `yaml:"caseload" pp:"min=0"`
	Photo          string      `yaml:"photo"`
}

// School is the school a supporter leads.
type School struct {
	Name       string     `yaml:"name" pp:"required"`
	Type       string     `yaml:"type" pp:"vocab=school_types"`
	Phase      string     `yaml:"phase" pp:"vocab=phases"`
	Pupils     *int       `yaml:"pupils" pp:"min=1"`
	Rural      bool       `yaml:"rural"`
	Church     string     `yaml:"church"`
	Inspection Inspection `yaml:"inspection"`
}

// Inspection is the outcome of a school's last inspection.
type Inspection struct {
	Grade string      `yaml:"grade" pp:"vocab=inspection_grades"`
	Date  decode.Date `yaml:"date"`
}

// Completion records a supporter's peer-support training.
type Completion struct {
	Provider  string      `yaml:"provider"`
	Completed decode.Date `yaml:"completed"`
}

// Course is content/training/<slug>.md: a course and its dated sessions.
type Course struct {
	Common    `yaml:",inline"`
	Provider  string      `yaml:"provider"`
	Audience  []string    `yaml:"audience" pp:"vocab=audiences"`
	Cost      string      `yaml:"cost"`
	Networks  []string    `yaml:"networks"`
	Programme []Programme `yaml:"programme"`
	Sessions  []Session   `yaml:"sessions" pp:"required"`
}

// Programme is one item of a course outline, with optional sub-items.
type Programme struct {
	Text  string
	Items []string
}

// Session is one dated run of a course.
type Session struct {
	Start         time.Time   `yaml:"start" pp:"required"`
	End           time.Time   `yaml:"end"`
	Location      Location    `yaml:"location"`
	Capacity      *int        `yaml:"capacity" pp:"min=1"`
	Booking       string      `yaml:"booking" pp:"enum=open|closed|waitlist"`
	BookingCloses decode.Date `yaml:"booking_closes"`
}

// Location is where a session happens.
type Location struct {
	Name    string `yaml:"name"`
	Address string `yaml:"address"`
	Online  bool   `yaml:"online"`
}

// Testimonial is content/testimonials/<slug>.md.
type Testimonial struct {
	Common      `yaml:",inline"`
	Quote       string   `yaml:"quote" pp:"required"`
	Attribution string   `yaml:"attribution" pp:"required"`
	Cohort      string   `yaml:"cohort"`
	Networks    []string `yaml:"networks"`
	Supporter   string   `yaml:"supporter"`
	Consent     bool     `yaml:"consent"`
}

// Article is content/news/<slug>.md or content/pages/<slug>.md.
type Article struct {
	Common `yaml:",inline"`
	Author string `yaml:"author"`
	// Weight orders free pages in listings and menus (lower first).
	Weight int `yaml:"weight"`
}

// DecodeYAML implements decode.Unmarshaler: an item is a line of text, or a
// line with sub-items written as a one-key mapping:
//
//   - Protocols:
//   - Safeguarding
//   - Confidentiality
func (p *Programme) DecodeYAML(d *decode.Decoder, path string, n *yaml.Node) {
	switch {
	case n.Kind == yaml.ScalarNode:
		p.Text = n.Value
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[1].Kind == yaml.SequenceNode:
		p.Text = n.Content[0].Value
		for i, item := range n.Content[1].Content {
			if item.Kind != yaml.ScalarNode {
				d.Errorf(item, fmt.Sprintf("%s.items[%d]", path, i), "expected a line of text (programme items nest one level only)")
				continue
			}
			p.Items = append(p.Items, item.Value)
		}
	default:
		d.Errorf(n, path, "expected a line of text, or \"Heading:\" followed by a list of sub-items")
	}
}

// DefaultLayout names the layout a section's pages are rendered with, ""
// for sections whose pages have none of their own (testimonials).
func DefaultLayout(s Section) string {
	switch s {
	case Home:
		return "home"
	case Networks:
		return "network"
	case Supporters:
		return "supporter"
	case Training:
		return "course"
	case News:
		return "article"
	case Pages:
		return "page"
	}
	return ""
}
