package seed

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

// Made-up people. The names are common in Scotland, so that together they
// read like a real caseload; no combination describes a real person.
var firstNames = []string{
	"Aileen", "Aisha", "Alasdair", "Agnieszka", "Amy", "Andrew", "Ann", "Calum", "Catherine", "Chloe",
	"Craig", "David", "Eilidh", "Elizabeth", "Euan", "Ewan", "Fiona", "Fraser", "Gordon", "Grace",
	"Hamish", "Heather", "Iain", "Isla", "Jamie", "Jean", "John", "Karen", "Kirsty", "Kyle",
	"Lewis", "Lorna", "Mairi", "Margaret", "Mark", "Mohammed", "Morag", "Niamh", "Olivia", "Paul",
	"Piotr", "Rory", "Ross", "Ruth", "Ryan", "Sandra", "Scott", "Sophie", "Stuart", "Zainab",
}

var lastNames = []string{
	"Ahmed", "Anderson", "Bell", "Brown", "Cameron", "Campbell", "Clark", "Craig", "Davidson", "Douglas",
	"Duncan", "Ferguson", "Fraser", "Gibson", "Graham", "Grant", "Hamilton", "Henderson", "Hughes", "Johnston",
	"Kerr", "Khan", "Kowalski", "MacDonald", "MacKenzie", "MacLeod", "Martin", "McIntyre", "Mitchell", "Morrison",
	"Murray", "Nowak", "O'Neill", "Paterson", "Reid", "Ritchie", "Robertson", "Ross", "Scott", "Simpson",
	"Smith", "Stewart", "Taylor", "Thomson", "Watson", "Wilson", "Young",
}

// staff are the made-up caseworkers named in event actors.
var staff = []string{
	"a.baird", "a.morrison", "b.quinn", "c.docherty", "c.mcgregor", "d.fleming", "e.walker", "f.lindsay",
	"g.sutherland", "h.munro", "i.crawford", "j.robertson", "k.boyle", "k.rennie", "l.mcallister", "m.hay",
	"n.iqbal", "p.gallacher", "r.baxter", "s.kowalczyk", "s.milne", "t.ogilvie", "v.shearer", "w.dunlop",
}

// area is a Scottish council area with its rough population in thousands,
// which weights how often it is drawn.
type area struct {
	name   string
	weight int
}

// areas are Scotland's 32 council areas.
var areas = []area{
	{"Aberdeen City", 227}, {"Aberdeenshire", 263}, {"Angus", 116}, {"Argyll and Bute", 86},
	{"City of Edinburgh", 525}, {"Clackmannanshire", 51}, {"Dumfries and Galloway", 148}, {"Dundee City", 149},
	{"East Ayrshire", 121}, {"East Dunbartonshire", 109}, {"East Lothian", 110}, {"East Renfrewshire", 97},
	{"Falkirk", 160}, {"Fife", 375}, {"Glasgow City", 635}, {"Highland", 238},
	{"Inverclyde", 78}, {"Midlothian", 95}, {"Moray", 94}, {"Na h-Eileanan Siar", 26},
	{"North Ayrshire", 134}, {"North Lanarkshire", 341}, {"Orkney Islands", 22}, {"Perth and Kinross", 153},
	{"Renfrewshire", 180}, {"Scottish Borders", 116}, {"Shetland Islands", 23}, {"South Ayrshire", 112},
	{"South Lanarkshire", 322}, {"Stirling", 93}, {"West Dunbartonshire", 88}, {"West Lothian", 185},
}

var areaTotal = func() int {
	n := 0
	for _, a := range areas {
		n += a.weight
	}
	return n
}()

// ageBand is a range of ages at application, drawn with a weight per mille.
type ageBand struct{ lo, hi, permille int }

// ageBands gives the ages of the people who apply for each kind of benefit.
var ageBands = map[string][]ageBand{
	charter.KindDisability: {{16, 24, 100}, {25, 44, 280}, {45, 64, 450}, {65, 90, 170}},
	charter.KindCarer:      {{16, 24, 80}, {25, 44, 320}, {45, 64, 450}, {65, 80, 150}},
	charter.KindGrant:      {{16, 19, 60}, {20, 29, 400}, {30, 39, 440}, {40, 49, 100}},
}

// client draws a made-up client who applied on received, and returns their age.
func (s *story) client(kind string, received calendar.Date) (casework.Client, int) {
	first := pick(s.r, firstNames)
	last := pick(s.r, lastNames)
	bands := ageBands[kind]
	if bands == nil {
		bands = ageBands[charter.KindDisability]
	}
	age := bands[len(bands)-1].lo
	for n, roll := 0, s.r.IntN(1000); n < 1000; {
		b := bands[0]
		bands = bands[1:]
		n += b.permille
		if roll < n || len(bands) == 0 {
			age = s.between(b.lo, b.hi)
			break
		}
	}
	y, m, d := received.Date()
	// A birthday up to a year before the one that makes them this age.
	dob := calendar.NewDate(y-age, m, d).AddDays(-s.r.IntN(365))

	c := casework.Client{Name: first + " " + last, DateOfBirth: dob, Area: s.area()}
	prefEmail, prefSMS := 550, 280
	if age >= 70 {
		prefEmail, prefSMS = 250, 250
	}
	switch roll := s.r.IntN(1000); {
	case roll < prefEmail:
		c.PreferredContact = "email"
	case roll < prefEmail+prefSMS:
		c.PreferredContact = "sms"
	default:
		c.PreferredContact = "letter"
	}
	if c.PreferredContact == "email" || s.pm(400) {
		c.Email = emailLocal(first) + "." + emailLocal(last) + strconv.Itoa(s.r.IntN(100)) + "@example.org"
	}
	if c.PreferredContact == "sms" || s.pm(600) {
		// 07700 900000 to 07700 900999 are set aside for drama and fiction.
		c.Phone = "07700 900" + pad3(s.r.IntN(1000))
	}
	x := s.g.xr
	c.Address = address(x, c.Area)
	switch roll := x.IntN(1000); {
	case roll < 15:
		c.AccessibleFormat = casework.FormatLargePrint
	case roll < 18:
		c.AccessibleFormat = casework.FormatBraille
	case roll < 21:
		c.AccessibleFormat = casework.FormatBSL
	case roll < 26:
		c.AccessibleFormat = casework.FormatEasyRead
	case roll < 30:
		c.AccessibleFormat, c.Language = casework.FormatOtherLanguage, pick(x, otherLanguages)
	}
	return c, age
}

// Made-up streets, and postcodes in ZZ99, which no real address has.
var (
	streets        = []string{"Example Street", "Sample Road", "Specimen Lane", "Model Crescent", "Placeholder Avenue", "Template Place", "Fictional Terrace", "Imaginary Wynd"}
	otherLanguages = []string{"Polish", "Gaelic", "Arabic", "Urdu", "Romanian", "Mandarin"}
)

func address(r *rand.Rand, area string) *casework.Address {
	return &casework.Address{
		Lines:    []string{strconv.Itoa(1+r.IntN(120)) + " " + pick(r, streets), area},
		Postcode: "ZZ99 " + strconv.Itoa(1+r.IntN(9)) + string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26))),
	}
}

func (s *story) area() string {
	n := s.r.IntN(areaTotal)
	for _, a := range areas {
		if n < a.weight {
			return a.name
		}
		n -= a.weight
	}
	return areas[len(areas)-1].name
}

// emailLocal lower-cases a name and keeps only its letters.
func emailLocal(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 3-len(s)) + s
}

// Volume of applications by month, by weekday and on special days, in
// percent of an ordinary day. More people apply in January and September,
// fewer in the summer and over Christmas; online applications come in every
// day, but far fewer at weekends.
var (
	monthWeight = [13]uint64{0, 125, 105, 108, 95, 95, 92, 85, 95, 122, 110, 104, 82}
	dayWeight   = [7]uint64{time.Sunday: 40, time.Monday: 130, time.Tuesday: 122, time.Wednesday: 116,
		time.Thursday: 112, time.Friday: 100, time.Saturday: 48}
)

// onlineHourWeight is when in the day people apply online.
var onlineHourWeight = [24]int{2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 13, 12, 12, 12, 11, 10, 9, 9, 10, 10, 8, 6, 4}

var onlineHourTotal = func() int {
	n := 0
	for _, w := range onlineHourWeight {
		n += w
	}
	return n
}()
