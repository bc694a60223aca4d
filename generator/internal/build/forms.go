package build

import (
	"fmt"

	"peerpress/generator/internal/formspec"
	"peerpress/generator/internal/site"
)

// formFiles is the forms manifest the form server reads
// (public/forms/manifest.json), when the site publishes forms.
func formFiles(s *site.Site) ([]file, error) {
	if !s.FormsOn() {
		return nil, nil
	}
	m, err := s.FormManifest()
	if err != nil {
		return nil, err
	}
	body, err := m.Marshal()
	if err != nil {
		return nil, fmt.Errorf("forms manifest: %w", err)
	}
	return []file{{Path: formspec.ManifestPath, Body: body}}, nil
}
