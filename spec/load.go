package spec

// This file reads and writes the on-disk form of the specification: one JSON
// file per command group under a directory, formatted deterministically.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DefaultDir is where the repository keeps its specification, relative to
// the module root.
const DefaultDir = "spec/commands"

// groupFile is the on-disk form of one command group.
type groupFile struct {
	Group    string     `json:"group"`
	Commands []*Command `json:"commands"`
}

// LoadDir reads every *.json file of dir and returns the validated spec.
func LoadDir(dir string) (*Spec, error) {
	return LoadFS(os.DirFS(dir), ".")
}

// LoadFS reads every *.json file of dir in fsys and returns the validated
// spec.
func LoadFS(fsys fs.FS, dir string) (*Spec, error) {
	names, err := fs.Glob(fsys, filepath.ToSlash(filepath.Join(dir, "*.json")))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("spec: no *.json files in %s", dir)
	}
	s := &Spec{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var g groupFile
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&g); err != nil {
			return nil, fmt.Errorf("spec: %s: %w", name, err)
		}
		for _, c := range g.Commands {
			if c.Group != g.Group {
				return nil, fmt.Errorf("spec: %s: command %s: group: %q in a file of group %q", name, c.Name, c.Group, g.Group)
			}
		}
		s.Commands = append(s.Commands, g.Commands...)
	}
	s.Sort()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Sort orders the commands by name.
func (s *Spec) Sort() {
	sort.Slice(s.Commands, func(i, j int) bool { return s.Commands[i].Name < s.Commands[j].Name })
}

// GroupFileName returns the file name that holds a group ("sorted-set" ->
// "sorted-set.json").
func GroupFileName(group string) string { return group + ".json" }

// Marshal renders the spec as one deterministic JSON document per group,
// keyed by file name.
func (s *Spec) Marshal() (map[string][]byte, error) {
	groups := map[string][]*Command{}
	for _, c := range s.Commands {
		groups[c.Group] = append(groups[c.Group], c)
	}
	out := make(map[string][]byte, len(groups))
	for g, cmds := range groups {
		sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(groupFile{Group: g, Commands: cmds}); err != nil {
			return nil, fmt.Errorf("spec: group %s: %w", g, err)
		}
		out[GroupFileName(g)] = buf.Bytes()
	}
	return out, nil
}

// WriteDir validates the spec and writes it to dir, one file per group, and
// removes *.json files of groups that no longer exist. Nothing is written
// when validation or rendering fails.
func (s *Spec) WriteDir(dir string) error {
	s.Sort()
	if err := s.Validate(); err != nil {
		return err
	}
	files, err := s.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, files[n]) {
			continue
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Groups returns the sorted group names of the spec.
func (s *Spec) Groups() []string {
	seen := map[string]bool{}
	var gs []string
	for _, c := range s.Commands {
		if !seen[c.Group] {
			seen[c.Group] = true
			gs = append(gs, c.Group)
		}
	}
	sort.Strings(gs)
	return gs
}

// Core reports whether the command belongs to the Redis core rather than a
// module.
func (c *Command) Core() bool { return c.Module == "" && !strings.Contains(c.Name, ".") }
