package charter

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// Check validates several files at once, as a "check" command would. It tells
// each file's kind from its top-level fields: a charter has "sections", a
// benefit catalogue has "benefits". Benefit catalogues are checked against the
// charter among the files: its commitments are the ones stages may name. When
// several charters are given (two versions, say), stages are checked against
// each of them; when none is, or the charter is itself invalid, only the form
// of those references is checked. A benefit id may appear in only one
// catalogue.
//
// Check returns every problem in every file, sorted by file name and then by
// line; nil means all the files are valid.
func Check(files map[string][]byte) Problems {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)

	type catalogueFile struct {
		d    *decoder
		root *yaml.Node
	}
	type charterFile struct {
		name string
		ch   *Charter
	}
	var (
		all        Problems
		charters   []charterFile
		catalogues []catalogueFile
	)
	for _, name := range names {
		d := newDecoder(name)
		root := d.Document(files[name])
		if root == nil {
			all = append(all, d.Problems()...)
			continue
		}
		isCharter, isCatalogue := hasKey(root, "sections"), hasKey(root, "benefits")
		switch {
		case isCharter && isCatalogue:
			d.Errorf(0, "cannot tell what kind of file this is: it has both \"sections\" (a charter) and \"benefits\" (a benefit catalogue)")
		case isCharter:
			ch := d.charter(root)
			if len(d.Problems()) == 0 {
				charters = append(charters, charterFile{name, ch})
			}
		case isCatalogue:
			catalogues = append(catalogues, catalogueFile{d, root})
			continue // checked once every charter is known
		default:
			d.Errorf(0, "cannot tell what kind of file this is: a charter has \"sections\" and a benefit catalogue has \"benefits\"")
		}
		all = append(all, d.Problems()...)
	}

	benefitFiles := map[string]string{} // benefit id -> "FILE:LINE" where it was first defined
	for _, cf := range catalogues {
		d := cf.d
		_, refs, benefits := d.catalogue(cf.root)
		for _, c := range charters {
			where := ""
			if len(charters) > 1 {
				where = "charter " + c.name
			}
			d.checkCommitments(refs, c.ch, where)
		}
		ids := make([]string, 0, len(benefits))
		for id := range benefits {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if first, dup := benefitFiles[id]; dup {
				d.Errorf(benefits[id], "benefit %q is also defined at %s", id, first)
				continue
			}
			benefitFiles[id] = fmt.Sprintf("%s:%d", d.File, benefits[id])
		}
		all = append(all, d.Problems()...)
	}
	all.Sort()
	if len(all) == 0 {
		return nil
	}
	return all
}

// hasKey reports whether a mapping node has a key with the given name.
func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return true
		}
	}
	return false
}
