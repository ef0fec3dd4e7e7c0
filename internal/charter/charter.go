package charter

// Charter is one version of the published charter.
type Charter struct {
	Version   string    `yaml:"version" json:"version"`
	Title     string    `yaml:"title" json:"title"`
	Summary   string    `yaml:"summary" json:"summary"`
	Published string    `yaml:"published" json:"published"` // YYYY-MM-DD
	Sections  []Section `yaml:"sections" json:"sections"`
	Glossary  []Term    `yaml:"glossary" json:"glossary"`
}

// Section groups commitments under a number, a title and a one-line descriptor.
type Section struct {
	Number           int              `yaml:"number" json:"number"`
	Title            string           `yaml:"title" json:"title"`
	Descriptor       string           `yaml:"descriptor" json:"descriptor"`
	Commitments      []Commitment     `yaml:"commitments" json:"commitments"`
	Responsibilities []Responsibility `yaml:"responsibilities" json:"responsibilities"` // "please help us by"
}

// Commitment is one numbered promise. ID is the number people quote ("1.4");
// Key is the stable identity that survives renumbering between versions.
type Commitment struct {
	ID      string   `yaml:"id" json:"id"`
	Key     string   `yaml:"key" json:"key"`
	Text    string   `yaml:"text" json:"text"`
	Terms   []string `yaml:"terms,omitempty" json:"terms,omitempty"`     // glossary terms used in Text
	Related []string `yaml:"related,omitempty" json:"related,omitempty"` // other commitment ids
}

// Responsibility is a "please help us by" statement for clients.
type Responsibility struct {
	ID    string   `yaml:"id" json:"id"`
	Text  string   `yaml:"text" json:"text"`
	Terms []string `yaml:"terms,omitempty" json:"terms,omitempty"`
}

// Term defines a word that readers might understand differently.
type Term struct {
	Term       string   `yaml:"term" json:"term"`
	Definition string   `yaml:"definition" json:"definition"`
	SeeAlso    []string `yaml:"see_also,omitempty" json:"see_also,omitempty"` // other terms
}

// Commitment returns the commitment with the given id and whether it exists.
func (c *Charter) Commitment(id string) (Commitment, bool) {
	for _, s := range c.Sections {
		for _, cm := range s.Commitments {
			if cm.ID == id {
				return cm, true
			}
		}
	}
	return Commitment{}, false
}

// CommitmentByKey returns the commitment with the given stable key and
// whether it exists. Code that names a commitment names it by key, so a
// renumbered charter still points at the same promise.
func (c *Charter) CommitmentByKey(key string) (Commitment, bool) {
	for _, s := range c.Sections {
		for _, cm := range s.Commitments {
			if cm.Key == key {
				return cm, true
			}
		}
	}
	return Commitment{}, false
}

// Term returns the glossary entry for a term and whether it exists.
func (c *Charter) Term(name string) (Term, bool) {
	for _, t := range c.Glossary {
		if t.Term == name {
			return t, true
		}
	}
	return Term{}, false
}
