package charter

// Catalogue is the set of benefits the service runs, loaded from one file.
type Catalogue struct {
	Benefits []Benefit `yaml:"benefits" json:"benefits"`
}

// Benefit is one benefit with its stages, service standards, challenge rules,
// the evidence it usually needs and the criteria a decision must address.
type Benefit struct {
	ID          string         `yaml:"id" json:"id"` // e.g. "adult-disability-payment"
	Name        string         `yaml:"name" json:"name"`
	Kind        string         `yaml:"kind" json:"kind"` // disability | carer | grant
	Description string         `yaml:"description" json:"description"`
	Stages      []Stage        `yaml:"stages" json:"stages"`
	Standards   Standards      `yaml:"standards" json:"standards"`
	Challenge   ChallengeRules `yaml:"challenge" json:"challenge"`
	Evidence    []Evidence     `yaml:"evidence" json:"evidence"`
	Criteria    []Criterion    `yaml:"criteria" json:"criteria"`
}

// Kinds of benefit: the only values Benefit.Kind may take.
const (
	KindDisability = "disability"
	KindCarer      = "carer"
	KindGrant      = "grant"
)

// Stage ids that casework relies on. Every benefit's first stage is
// StageReceived (an application enters it when it arrives) and every benefit
// has a StageDecision stage (an application enters it when a decision is
// recorded). Other stages are the benefit's own.
const (
	StageReceived = "received"
	StageDecision = "decision"
)

// Stage is one step an application goes through, in order. ClientText says in
// plain words what is happening while the application is at this stage.
type Stage struct {
	ID          string   `yaml:"id" json:"id"`
	Name        string   `yaml:"name" json:"name"`
	ClientText  string   `yaml:"client_text" json:"client_text"`
	Commitments []string `yaml:"commitments,omitempty" json:"commitments,omitempty"`
	// Optional stages are skipped by many applications (a consultation, for
	// example), so a timeline should not promise them in advance.
	Optional bool `yaml:"optional,omitempty" json:"optional,omitempty"`
}

// Standards are the service standards as numbers.
type Standards struct {
	AcknowledgeWorkingDays int `yaml:"acknowledge_working_days" json:"acknowledge_working_days"`
	DecideWorkingDays      int `yaml:"decide_working_days" json:"decide_working_days"`
	// MaxWorkingDaysWithoutUpdate is the longest a client may go without hearing from us.
	MaxWorkingDaysWithoutUpdate int `yaml:"max_working_days_without_update" json:"max_working_days_without_update"`
	// AtRiskPercent is how much of a standard may pass before it is flagged at
	// risk. Zero means not set: use AtRisk.
	AtRiskPercent int `yaml:"at_risk_percent" json:"at_risk_percent"`
	// PauseWhileWaitingOnClient stops the decision clock while an information
	// request to the client is open.
	PauseWhileWaitingOnClient bool `yaml:"pause_while_waiting_on_client" json:"pause_while_waiting_on_client"`
	// InformationRequestWorkingDays is the usual time given to answer a request.
	InformationRequestWorkingDays int `yaml:"information_request_working_days" json:"information_request_working_days"`
}

// ChallengeRules are the windows for challenging a decision, in calendar days.
type ChallengeRules struct {
	RedeterminationWindowDays int `yaml:"redetermination_window_days" json:"redetermination_window_days"`
	// WindowStartsAfterHours delays the start of the window after the decision is issued (e.g. 48).
	WindowStartsAfterHours      int `yaml:"window_starts_after_hours" json:"window_starts_after_hours"`
	LateRequestLimitDays        int `yaml:"late_request_limit_days" json:"late_request_limit_days"`
	RedeterminationDeadlineDays int `yaml:"redetermination_deadline_days" json:"redetermination_deadline_days"`
	AppealWindowDays            int `yaml:"appeal_window_days" json:"appeal_window_days"`
}

// DefaultAtRiskPercent is used when a benefit does not set at_risk_percent.
const DefaultAtRiskPercent = 80

// AtRisk returns AtRiskPercent, or DefaultAtRiskPercent when it is not set.
func (s Standards) AtRisk() int {
	if s.AtRiskPercent == 0 {
		return DefaultAtRiskPercent
	}
	return s.AtRiskPercent
}

// Evidence is something the benefit usually needs, and who can usually give it.
type Evidence struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	From        string `yaml:"from" json:"from"` // the client, a GP, another organisation
	// Stage is the stage at which we usually ask for it, if it is not
	// needed from the start.
	Stage string `yaml:"stage,omitempty" json:"stage,omitempty"`
}

// Criterion is a question every decision must answer with a reason.
type Criterion struct {
	ID       string `yaml:"id" json:"id"`
	Question string `yaml:"question" json:"question"`
}

// Benefit returns the benefit with the given id and whether it exists.
func (c *Catalogue) Benefit(id string) (*Benefit, bool) {
	for i := range c.Benefits {
		if c.Benefits[i].ID == id {
			return &c.Benefits[i], true
		}
	}
	return nil, false
}

// Stage returns the stage with the given id and its index, or -1.
func (b *Benefit) Stage(id string) (Stage, int) {
	for i, s := range b.Stages {
		if s.ID == id {
			return s, i
		}
	}
	return Stage{}, -1
}
