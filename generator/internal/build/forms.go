package build

import (
	"fmt"
	"maps"
	"slices"

	"peerpress/generator/internal/formspec"
	"peerpress/generator/internal/site"
)

// formFiles is the forms manifest the form server reads
// (public/forms/manifest.json) and the choices files of the forms' long
// lists, when the site publishes forms.
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
	files := []file{{Path: formspec.ManifestPath, Body: body}}
	choices := m.ChoicesFiles()
	for _, p := range slices.Sorted(maps.Keys(choices)) {
		files = append(files, file{Path: p, Body: choices[p]})
	}
	return files, nil
}
