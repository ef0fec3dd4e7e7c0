package feedback

import "github.com/charter-service/charter/internal/calendar"

// The independent body a client can go to once our complaints process is
// finished.
const (
	OmbudsmanName = "Scottish Public Services Ombudsman"
	OmbudsmanURL  = "https://www.spso.org.uk"
	ombudsmanSite = "spso.org.uk"
)

// Link is a link a page shows with the next steps.
type Link struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// NextSteps tells the client where their complaint is and what they can do
// next, in plain words with dates.
type NextSteps struct {
	Heading    string   `json:"heading"`
	Paragraphs []string `json:"paragraphs"`
	Link       *Link    `json:"link,omitempty"`
}

// NextSteps says what happens next with a complaint, as of today: when we
// will answer, what the answer was, and what the client can do if they are
// not happy with it (ask for stage 2 after stage 1; go to the Scottish
// Public Services Ombudsman after stage 2). When we have missed a date it
// says so, apologises and says what the client can do now.
func (p Process) NextSteps(c Complaint, today calendar.Date) NextSteps {
	switch c.Status {
	case StatusStage1Open:
		if today > c.Stage1DueOn {
			return NextSteps{
				Heading: "We have not answered your complaint by the date we gave you",
				Paragraphs: []string{
					"We said we would answer by " + c.Stage1DueOn.Long() + ", and we have not. We are sorry.",
					"You do not have to wait for our answer: you can ask us now to look at your complaint at stage 2, " +
						"where someone who has not been involved in it will look at it. " + p.stage2Promise(today),
				},
			}
		}
		return NextSteps{
			Heading: "We are looking at your complaint",
			Paragraphs: []string{
				"We received your complaint on " + c.ReceivedOn.Long() + ". We will answer it by " + c.Stage1DueOn.Long() + ".",
				"If you have anything to add, contact us and we will include it.",
			},
		}

	case StatusStage1Answered:
		return p.askForStage2(c, today)

	case StatusStage2Open, StatusStage2Acknowledged:
		if today > c.Stage2DueOn {
			return NextSteps{
				Heading: "We have not answered your complaint by the date we gave you",
				Paragraphs: []string{
					"We said we would give you our stage 2 answer by " + c.Stage2DueOn.Long() + ", and we have not. We are sorry.",
					"You do not have to wait for our answer: you can ask the " + OmbudsmanName + " (SPSO) to look at your complaint now. " +
						"The SPSO is independent: it is not part of this service or of the government, and it is free to use.",
				},
				Link: ombudsmanLink(),
			}
		}
		first := "You asked us on " + c.EscalatedOn.Long() + " to look at your complaint again. This is stage 2 of our complaints process: someone who has not been involved in it is looking at it."
		if c.Status == StatusStage2Open {
			if today > c.Stage2AckDueOn {
				first += " We said we would tell you by " + c.Stage2AckDueOn.Long() + " that we had your request, and we have not. We are sorry."
			} else {
				first += " We will tell you by " + c.Stage2AckDueOn.Long() + " that we have your request."
			}
		}
		return NextSteps{
			Heading:    "We are looking at your complaint again",
			Paragraphs: []string{first, "We will give you our answer by " + c.Stage2DueOn.Long() + "."},
		}

	case StatusStage2Answered:
		return ombudsmanSteps(c)

	case StatusClosed:
		if c.Stage == 1 {
			return p.askForStage2(c, today)
		}
		return ombudsmanSteps(c)
	}
	return NextSteps{}
}

// askForStage2 is what a client can do after our stage 1 answer.
func (p Process) askForStage2(c Complaint, today calendar.Date) NextSteps {
	return NextSteps{
		Heading: "What you can do if you are not happy with our answer",
		Paragraphs: []string{
			"We answered your complaint on " + c.Stage1RespondedOn.Long() + ". " + c.Stage1Outcome.Plain(),
			"If you are not happy with our answer, you can ask us to look at your complaint again. " +
				"This is stage 2 of our complaints process: someone who has not been involved in it will look at it. " +
				p.stage2Promise(today),
			"A complaint is not the way to challenge a decision on your application. To do that, ask us for a re-determination.",
		},
	}
}

// stage2Promise gives the dates a stage 2 request made today would get.
func (p Process) stage2Promise(today calendar.Date) string {
	ack := p.Calendar.AddWorkingDays(today, p.Timescales.Stage2AcknowledgeDays)
	due := p.Calendar.AddWorkingDays(today, p.Timescales.Stage2RespondDays)
	return "If you ask today, we will tell you by " + ack.Long() + " that we have your request, and give you our answer by " + due.Long() + "."
}

// ombudsmanSteps is what a client can do after our stage 2 answer.
func ombudsmanSteps(c Complaint) NextSteps {
	return NextSteps{
		Heading: "What you can do if you are still not happy",
		Paragraphs: []string{
			"We gave you our stage 2 answer on " + c.Stage2RespondedOn.Long() + ". " + c.Stage2Outcome.Plain() +
				" This is our final answer: our complaints process is finished.",
			"If you are still not happy, you can ask the " + OmbudsmanName + " (SPSO) to look at your complaint. " +
				"The SPSO is independent: it is not part of this service or of the government, and it is free to use.",
			"Contact the SPSO within 12 months of when you first knew about the problem. " +
				"Its website, " + ombudsmanSite + ", explains how, and you can phone, write or use its online form.",
		},
		Link: ombudsmanLink(),
	}
}

func ombudsmanLink() *Link {
	return &Link{Text: "Complain to the " + OmbudsmanName + " at " + ombudsmanSite, URL: OmbudsmanURL}
}
