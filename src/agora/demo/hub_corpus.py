"""Riverton's guidance: what each organisation publishes in the hub, as plain data.

About fifty documents are written out by hand (the pages residents most need, and the
ones the search evaluation asks about); the rest are drawn from small tables (every
school, clinic, ward, street works notice, food bank venue), as a town's real output is.
`hub.py` renders each in its format (Markdown, HTML, PDF, Word, CSV) and publishes it
through the same service as `agora ingest`.
"""

from dataclasses import dataclass, field

COUNCIL, HOUSING, BENEFITS, HEALTH = (
    "riverton-borough-council", "riverton-housing-authority", "benefits-agency-riverton",
    "riverton-health-board")
FOODBANK, ADVICE, ENERGY, TENANTS = (
    "riverton-food-bank", "riverton-advice-centre", "riverton-energy", "northbank-tenants")


@dataclass(frozen=True)
class Doc:
    slug: str
    owner: str
    title: str
    sections: dict[str, str]
    topics: tuple[str, ...] = ()
    kind: str = "guidance"
    fmt: str = "md"  # md, html, pdf, docx, txt
    classification: str = "public"
    roles: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class Table:
    slug: str
    owner: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    topics: tuple[str, ...] = ()
    classification: str = "public"


WARDS = ["Northbank", "Riverside", "Castle", "Millfield", "Eastgate", "Westmoor", "Hilltop",
         "Old Town"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SCHOOLS = [("Riverside Primary", "primary", "Riverside"), ("St Anne's Primary", "primary",
           "Castle"), ("Millfield Primary", "primary", "Millfield"), ("Eastgate Infants",
           "primary", "Eastgate"), ("Hilltop Juniors", "primary", "Hilltop"),
           ("Riverton Academy", "secondary", "Old Town"), ("Westmoor High", "secondary",
           "Westmoor"), ("Northbank Community School", "secondary", "Northbank")]
CLINICS = [("Riverside Health Centre", "Riverside"), ("Castle Surgery", "Castle"),
           ("Millfield Medical Practice", "Millfield"), ("Eastgate Family Clinic", "Eastgate"),
           ("Westmoor Health Hub", "Westmoor"), ("Hilltop Surgery", "Hilltop"),
           ("Old Town Walk-in Centre", "Old Town"), ("Northbank Wellbeing Centre", "Northbank")]
PANTRIES = [("St Mark's Church Hall", "Tuesday and Friday, 10am to 1pm"),
            ("Northbank Community Centre", "Wednesday, 12 noon to 3pm"),
            ("Riverside Library", "Saturday, 10am to 12 noon"),
            ("Eastgate Mosque community room", "Thursday, 4pm to 6pm"),
            ("Millfield Salvation Army", "Monday, 1pm to 4pm"),
            ("Westmoor Methodist Church", "Friday, 5pm to 7pm")]
STREETS_WORKS = [("High Street", "resurfacing"), ("Mill Lane", "gas main replacement"),
                 ("Station Road", "new pedestrian crossing"), ("Castle Hill", "drainage repairs"),
                 ("Bridge Street", "bridge inspection"), ("Eastgate Road", "water main repair"),
                 ("Westmoor Avenue", "street light replacement"), ("Church Street",
                 "pavement widening"), ("Canal Walk", "towpath repairs"), ("Market Square",
                 "market stall upgrades"), ("Northbank Road", "cycle lane"), ("Hilltop Rise",
                 "pothole repairs")]


def _hand_written() -> list[Doc]:
    return [
        # Struggling with bills: council tax
        Doc("council-tax", COUNCIL, "Council tax", {
            "How much you pay": "Your council tax depends on the valuation band of your home "
                "(A to H). Band D in Riverton is £2,104 a year for 2026 to 2027.",
            "Paying your bill": "Pay by direct debit in 10 or 12 monthly instalments, online "
                "with a debit card, by phone on 01632 960100, or at any PayPoint. Your "
                "account number is on your bill.",
            "If you cannot pay": "Contact us as soon as you can. We can spread payments, and "
                "you may get council tax support if you are on a low income.",
        }, ("council-tax",), summary="Bands, how to pay and what to do if you cannot pay."),
        Doc("single-person-discount", COUNCIL, "Single person discount", {
            "Who can get it": "If you are the only adult (18 or over) living in your home you "
                "get 25% off your council tax bill.",
            "How to apply": "Apply online or call us. Tell us within 21 days if someone moves "
                "in, or you may have to pay a penalty.",
        }, ("council-tax",), fmt="html"),
        Doc("council-tax-support", COUNCIL, "Council tax support", {
            "Who can get it": "Council tax support (council tax reduction) lowers your bill "
                "if you are on a low income or claim benefits such as universal credit.",
            "How much you can get": "Working-age households can get up to 80% off. Pensioners "
                "on pension credit can get the full bill paid.",
            "How to apply": "Apply online with proof of income, savings and who lives with you.",
        }, ("council-tax", "benefits"), fmt="pdf"),
        Doc("council-tax-arrears", COUNCIL, "Council tax arrears: what happens if you miss a "
            "payment", {
            "Reminders": "If you miss an instalment we send a reminder. Pay within 7 days to "
                "keep paying by instalments.",
            "Summons and liability order": "If you do not pay, we apply to the magistrates' "
                "court for a liability order, which adds costs.",
            "Getting help": "Riverton Advice Centre gives free debt advice and can talk to us "
                "for you.",
        }, ("council-tax", "debt-advice"), fmt="docx"),
        Doc("council-tax-recovery-procedure", COUNCIL, "Council tax recovery procedure (staff)",
            {"Stages": "Reminder, final notice, summons, liability order, attachment of "
                "earnings or benefits, enforcement agents.",
             "Vulnerability checks": "Before referring to enforcement agents check the "
                "vulnerability flags and offer a referral to the advice centre."},
            ("council-tax",), kind="policy", classification="internal"),
        Doc("council-tax-fraud-investigations", COUNCIL, "Council tax fraud investigations",
            {"When to open a case": "Open an investigation when a single person discount "
                "review finds evidence of another adult at the address.",
             "Evidence": "Credit reference checks, electoral register and data matching."},
            ("council-tax",), kind="policy", classification="restricted",
            roles=("caseworker", "admin")),
        # Energy
        Doc("help-with-energy-bills", ENERGY, "Help with energy bills", {
            "If you are struggling to pay": "Call us on 01632 960400. We can agree an "
                "affordable payment plan and check you are on the cheapest tariff.",
            "Hardship fund": "Our hardship fund can clear up to £500 of gas or electricity "
                "debt for customers on a low income.",
            "Prepayment meters": "If you cannot top up your prepayment meter, ask about "
                "emergency credit and fuel vouchers from Riverton Food Bank.",
        }, ("energy-bills",), fmt="html"),
        Doc("priority-services-register", ENERGY, "Priority services register", {
            "Who can join": "Join if you are of pension age, disabled, have a long-term "
                "illness, use medical equipment that needs power, or have young children.",
            "What you get": "Advance notice of power cuts, password scheme for visits, and "
                "priority support in an emergency.",
        }, ("energy-bills", "disability-and-caring"), kind="leaflet", fmt="pdf"),
        Doc("energy-debt-collection-policy", ENERGY, "Debt collection policy", {
            "Before a warrant": "We must offer a payment plan and check vulnerability before "
                "applying to fit a prepayment meter under warrant."},
            ("energy-bills",), kind="policy", classification="internal"),
        Doc("hardship-fund-assessment", ENERGY, "Hardship fund assessment guide", {
            "Scoring": "Score income, household size and arrears; approve up to £500."},
            ("energy-bills",), kind="policy", classification="restricted",
            roles=("caseworker",)),
        # Food support
        Doc("emergency-food-parcels", FOODBANK, "Emergency food parcels", {
            "How to get a food parcel": "You need a food voucher (referral). Ask Riverton "
                "Advice Centre, your GP, the council's welfare team, the Benefits Agency or "
                "your housing officer.",
            "What you get": "Three days of nutritionally balanced food, and toiletries. Tell "
                "us about allergies or if you have no cooker.",
            "Where to collect": "Collect from any of our pantries with your voucher.",
        }, ("food-support",), fmt="html"),
        Doc("fuel-vouchers", FOODBANK, "Fuel vouchers", {
            "Who can get one": "If you have a prepayment meter and cannot afford to top up, "
                "we can give a £49 fuel voucher with a food parcel."},
            ("food-support", "energy-bills"), kind="leaflet"),
        Doc("food-bank-volunteering", FOODBANK, "Volunteer with the food bank", {
            "What volunteers do": "Sort donations, pack parcels, drive deliveries and welcome "
                "visitors at our pantries.",
            "How to sign up": "Fill in the volunteer form and come to an induction."},
            ("looking-for-work",), fmt="docx"),
        Doc("referral-partner-guide", FOODBANK, "Voucher referral guide for partners", {
            "Issuing a voucher": "Check the person's need, fill in the e-voucher, and note "
                "any dietary needs. A household can have three vouchers in six months before "
                "a review."}, ("food-support",), kind="policy", classification="internal"),
        # Debt advice and benefits
        Doc("free-debt-advice", ADVICE, "Free debt advice", {
            "How we help": "We list your debts, work out a budget, and talk to creditors for "
                "you. Priority debts are rent, council tax, energy and court fines.",
            "Debt relief orders": "If you owe less than £50,000 and have little spare income, "
                "a debt relief order can write debts off after a year.",
            "Book an appointment": "Call 01632 960600 or drop in on weekday mornings.",
        }, ("debt-advice",), fmt="pdf"),
        Doc("benefits-check", ADVICE, "Get a benefits check", {
            "What it is": "We check every benefit and discount you could get: universal "
                "credit, pension credit, council tax support, disability benefits.",
            "What to bring": "Bring your bank statements, payslips, tenancy agreement and any "
                "benefit letters."}, ("benefits",)),
        Doc("benefit-appeals", ADVICE, "Challenging a benefit decision", {
            "Mandatory reconsideration": "Ask the Benefits Agency to look again within one "
                "month of the decision letter.",
            "Appeal to a tribunal": "If the decision does not change, appeal to the tribunal. "
                "We can represent you."}, ("benefits",), fmt="docx"),
        Doc("advice-case-recording", ADVICE, "Case recording standards", {
            "What to record": "Record the advice given, the client's consent to share and "
                "every referral."}, ("debt-advice",), kind="policy", classification="internal"),
        Doc("universal-credit", BENEFITS, "Universal credit", {
            "Who can claim": "You may get universal credit if you are on a low income or out "
                "of work, aged 18 or over and under state pension age.",
            "How to claim": "Claim online. You will need your bank details, rent details and "
                "an email address. Book an appointment at the Riverton office for ID checks.",
            "Advance payments": "If you cannot manage until your first payment (about 5 "
                "weeks), ask for an advance. You pay it back from later payments.",
        }, ("benefits", "looking-for-work"), fmt="html"),
        Doc("pension-credit", BENEFITS, "Pension credit", {
            "Who can get it": "Pension credit tops up your weekly income if you are over "
                "state pension age and on a low income.",
            "Why claim": "It also gets you help with housing costs, council tax and a free TV "
                "licence if you are over 75."}, ("benefits",), fmt="pdf"),
        Doc("carers-allowance", BENEFITS, "Carer's allowance", {
            "Who can get it": "If you care for someone at least 35 hours a week and they get "
                "certain disability benefits.",
            "How much": "£83.30 a week. You can earn up to £196 a week after deductions."},
            ("carers", "benefits"), fmt="docx"),
        Doc("pip", BENEFITS, "Personal independence payment (PIP)", {
            "What it is": "PIP helps with extra costs if you have a long-term physical or "
                "mental health condition or disability.",
            "Assessment": "Most people have an assessment by phone, video or in person."},
            ("disability-and-caring", "benefits")),
        Doc("sanctions-guidance", BENEFITS, "Work coach guidance on sanctions", {
            "Good reason": "Consider caring responsibilities, health and transport before "
                "applying a sanction."}, ("looking-for-work",), kind="policy",
            classification="internal"),
        Doc("fraud-referrals", BENEFITS, "Benefit fraud referral handling", {
            "Triage": "Referrals are triaged within 5 working days by the fraud team."},
            ("benefits",), kind="policy", classification="restricted", roles=("caseworker",)),
        # Housing
        Doc("homeless-or-at-risk", HOUSING, "If you are homeless or about to lose your home", {
            "Get help now": "If you have nowhere to sleep tonight call 01632 960200 (24 "
                "hours). We will find you emergency accommodation if you are eligible.",
            "If you have an eviction notice": "Contact us as soon as you get a section 21 or "
                "section 8 notice. We have a duty to help prevent homelessness for 56 days.",
            "What we will ask": "Your ID, your notice or letter from your landlord, and your "
                "income.",
        }, ("homelessness",), fmt="html"),
        Doc("housing-register", HOUSING, "Apply for social housing (the housing register)", {
            "Who can apply": "You can join the housing register if you have lived in Riverton "
                "for 2 years, or work here, and are in housing need.",
            "Bands": "Applications are placed in bands A to D by need. Band A is for urgent "
                "need such as homelessness or serious medical needs.",
            "Bidding": "Bid for council and housing association homes each week online.",
        }, ("social-housing",), fmt="pdf"),
        Doc("repairs", HOUSING, "Report a repair in your council home", {
            "Emergency repairs": "Call 01632 960201 at any time for gas leaks, floods, no "
                "heating in winter or unsafe electrics. We attend within 4 hours.",
            "Routine repairs": "Report online. We fix routine repairs within 28 days.",
            "Damp and mould": "Report damp and mould straight away. We inspect within 10 "
                "working days and tell you what we will do.",
        }, ("repairs",), fmt="html"),
        Doc("damp-and-mould", HOUSING, "Damp and mould in your home", {
            "Reducing condensation": "Open windows a little, use extractor fans and dry "
                "clothes outside where you can.",
            "When to report it": "Report black mould, wet walls or a musty smell that does "
                "not go away. Your landlord must deal with it."}, ("repairs",), kind="leaflet",
            fmt="docx"),
        Doc("temporary-accommodation-allocations", HOUSING,
            "Temporary accommodation allocations procedure", {
            "Placement": "Place families with children in self-contained units; hostels only "
                "in emergencies for no more than 6 weeks."}, ("homelessness",), kind="policy",
            classification="internal"),
        Doc("domestic-abuse-housing", HOUSING, "Domestic abuse housing protocol", {
            "Safety": "Never record a survivor's new address in shared systems."},
            ("homelessness",), kind="policy", classification="restricted",
            roles=("caseworker", "admin")),
        Doc("tenants-drop-in", TENANTS, "Tenants' drop-in", {
            "When": "Every Wednesday, 6pm to 8pm, at Northbank Community Centre.",
            "What we do": "Help with repair complaints, letters to the housing authority and "
                "neighbour disputes."}, ("repairs", "social-housing"), kind="notice"),
        Doc("repairs-campaign", TENANTS, "Our damp and mould campaign", {
            "Why": "Half the flats in Heron House reported damp last winter.",
            "What you can do": "Log every repair request and keep photos. Join our survey."},
            ("repairs",), fmt="txt"),
        Doc("tenants-committee-minutes", TENANTS, "Committee minutes", {
            "Actions": "Chase the housing authority about Kestrel House heating."},
            ("repairs",), kind="notice", classification="internal"),
        # Bins and street problems
        Doc("bin-collections", COUNCIL, "Bin collections", {
            "Which bin goes out when": "Your green general waste bin and blue recycling bin "
                "are collected on alternate weeks. Food waste caddies are collected weekly.",
            "Missed collections": "Report a missed bin within 2 working days online. We "
                "return within 3 working days.",
            "Garden waste": "Garden waste collection costs £45 a year. Subscribe online.",
        }, ("bin-collections",), fmt="html"),
        Doc("recycling-centre", COUNCIL, "Household recycling centre", {
            "Opening times": "Canal Road household waste and recycling centre is open every "
                "day 8am to 6pm (4pm in winter).",
            "What you can bring": "Bulky household waste, garden waste, electricals, "
                "batteries, paint and wood. No trade waste.",
        }, ("bin-collections",)),
        Doc("bulky-waste", COUNCIL, "Bulky waste collection", {
            "How it works": "We collect up to 5 large items such as sofas and fridges for "
                "£35. Book online and put items out by 7am."}, ("bin-collections",),
            kind="form", fmt="docx"),
        Doc("fly-tipping", COUNCIL, "Report fly-tipping", {
            "How to report": "Tell us where the rubbish is and what it is. Do not touch "
                "needles or chemicals.",
            "Penalties": "Fly-tipping can lead to a £400 fixed penalty or prosecution."},
            ("report-a-street-problem",), kind="form"),
        Doc("potholes", COUNCIL, "Report a pothole or road defect", {
            "How to report": "Report potholes, damaged pavements and broken drains online "
                "with a photo and the nearest house number.",
            "What happens next": "We inspect within 5 working days and make dangerous "
                "defects safe within 24 hours."}, ("report-a-street-problem",), fmt="html"),
        Doc("street-lights", COUNCIL, "Report a broken street light", {
            "How to report": "Find the number on the lamp post and report it online. We "
                "repair most lights within 7 days."}, ("report-a-street-problem",),
            kind="form"),
        # Having a baby
        Doc("register-a-birth", COUNCIL, "Register a birth", {
            "When": "Register a birth within 42 days at Riverton register office. Book an "
                "appointment online.",
            "Who can register": "Either parent if married; if not married, both parents to "
                "put both names on the certificate."}, ("registering-a-birth",), fmt="html"),
        Doc("health-visitors", HEALTH, "Health visitors", {
            "What they do": "Health visitors support families from pregnancy until a child "
                "is 5: feeding, sleep, development checks and your wellbeing.",
            "Contact": "Call the health visiting team on 01632 960300."},
            ("having-a-baby",), fmt="pdf"),
        Doc("maternity-grant", BENEFITS, "Sure start maternity grant", {
            "What it is": "A one-off £500 payment to help with the costs of a first baby if "
                "you get certain benefits.",
            "When to claim": "From 11 weeks before the baby is due until 6 months after."},
            ("having-a-baby", "benefits"), fmt="docx"),
        Doc("free-childcare", COUNCIL, "Free childcare and early education", {
            "15 hours": "All 3 and 4 year olds get 15 hours of free childcare a week.",
            "30 hours and 2 year olds": "Working parents can get 30 hours. Some 2 year olds "
                "get 15 hours if you get certain benefits."}, ("childcare",)),
        # Bereavement
        Doc("when-someone-dies", COUNCIL, "What to do when someone dies", {
            "Register the death": "Register a death within 5 days at the register office. "
                "Bring the medical certificate of cause of death.",
            "Tell us once": "Tell Us Once lets you tell the council, the Benefits Agency and "
                "other services at the same time."}, ("bereavement",), fmt="html"),
        Doc("funeral-payments", BENEFITS, "Help with funeral costs", {
            "Funeral expenses payment": "If you are on a low income and responsible for a "
                "funeral you may get help with burial or cremation costs.",
            "Bereavement support payment": "If your husband, wife or civil partner died you "
                "may get bereavement support payment."}, ("bereavement", "benefits"),
            fmt="pdf"),
        Doc("bereavement-support", HEALTH, "Bereavement support services", {
            "Talking to someone": "Free bereavement counselling is available through your GP "
                "or by self-referral to Riverton talking therapies."}, ("bereavement",),
            kind="leaflet"),
        # Disability and caring
        Doc("disabled-facilities-grant", COUNCIL, "Disabled facilities grant", {
            "What it pays for": "Grants of up to £30,000 for adaptations such as stairlifts, "
                "ramps, level-access showers and widened doors.",
            "How to apply": "An occupational therapist assesses your needs first."},
            ("adaptations",), fmt="pdf"),
        Doc("carers-assessment", COUNCIL, "Carer's assessment", {
            "What it is": "If you look after someone, a carer's assessment looks at how "
                "caring affects you and what support could help, such as breaks."},
            ("carers",), fmt="docx"),
        Doc("blue-badge", COUNCIL, "Apply for a blue badge", {
            "Who can get one": "People who cannot walk far, are registered blind, or have "
                "hidden disabilities that make journeys hard.",
            "Cost": "A blue badge costs £10 and lasts up to 3 years."},
            ("disability-and-caring",), kind="form"),
        Doc("mental-health-support", HEALTH, "Mental health support", {
            "In a crisis": "Call the 24 hour crisis line 01632 960399.",
            "Talking therapies": "Refer yourself for free talking therapies online."},
            ("disability-and-caring",), fmt="html"),
        # Moving home
        Doc("moving-home", COUNCIL, "Moving home: who to tell", {
            "Council tax": "Tell us your moving date so we can close your old account and "
                "open a new one. You may get a refund.",
            "Electoral register": "Register to vote at your new address.",
            "School places": "If your child needs to change school, apply for an in-year "
                "transfer."}, ("moving-home", "council-tax"), fmt="html"),
        Doc("register-with-a-gp", HEALTH, "Register with a GP", {
            "How to register": "You can register with a GP near your new home online. You do "
                "not need proof of address or ID."}, ("moving-home",)),
        Doc("energy-moving-home", ENERGY, "Moving home with Riverton Energy", {
            "Meter readings": "Take meter readings on the day you move and send them to us."},
            ("moving-home", "energy-bills"), kind="faq"),
        # Looking for work
        Doc("jobcentre-support", BENEFITS, "Find a job with your work coach", {
            "Job search help": "Your work coach helps with CVs, applications and interview "
                "practice, and can pay for travel to interviews.",
            "Training": "Sector-based work academies offer training and a guaranteed "
                "interview."}, ("looking-for-work",), fmt="pdf"),
        Doc("council-jobs", COUNCIL, "Jobs at the council", {
            "Apprenticeships": "We offer apprenticeships in care, highways, IT and finance."},
            ("looking-for-work",)),
        Doc("employment-rights-advice", ADVICE, "Employment rights advice", {
            "Unpaid wages": "If your employer has not paid you, we can help you recover "
                "money you are owed."}, ("looking-for-work",), fmt="txt"),
        # Schools
        Doc("school-admissions", COUNCIL, "Apply for a school place", {
            "Starting primary school": "Apply by 15 January for a Reception place in "
                "September.",
            "Secondary school": "Apply by 31 October for a Year 7 place.",
            "In-year transfers": "Apply to change school at any time of year."},
            ("school-admissions",), fmt="html"),
        Doc("free-school-meals", COUNCIL, "Free school meals", {
            "Who can get them": "Children whose families get universal credit with income "
                "under £7,400 a year, or certain other benefits. All infants get them free.",
            "How to apply": "Apply online. Your school also gets extra funding."},
            ("free-school-meals",), fmt="pdf"),
        Doc("school-transport", COUNCIL, "School transport", {
            "Free transport": "Children get free transport if they live more than 2 miles "
                "(under 8) or 3 miles (8 and over) from their nearest suitable school."},
            ("schools",), fmt="docx"),
        Doc("send-support", COUNCIL, "Special educational needs and disabilities (SEND)", {
            "SEN support": "Talk to your child's school SENCO first.",
            "EHC plans": "Ask for an education, health and care needs assessment if your "
                "child needs more help than the school can give."}, ("send",)),
        Doc("safeguarding-referrals", COUNCIL, "Safeguarding referral pathway", {
            "Threshold": "Use the threshold document before referring to children's social "
                "care."}, ("schools",), kind="policy", classification="restricted",
            roles=("caseworker", "dpo")),
    ]


def _drawn() -> list[Doc]:
    docs: list[Doc] = []
    for name, phase, ward in SCHOOLS:
        slug = "school-" + name.lower().replace("'", "").replace(" ", "-")
        docs.append(Doc(slug, COUNCIL, name, {
            "About the school": f"{name} is a {phase} school in {ward} ward.",
            "Admissions": f"Apply through the council's coordinated admissions. Catchment: "
                f"{ward} and neighbouring streets.",
            "Term dates": "Autumn term starts 2 September; half term 27 to 31 October."},
            ("school-admissions",), fmt="html" if phase == "primary" else "md"))
    for name, ward in CLINICS:
        slug = "clinic-" + name.lower().replace(" ", "-")
        docs.append(Doc(slug, HEALTH, name, {
            "Opening times": "Monday to Friday 8am to 6:30pm.",
            "Services": f"GP appointments, nurse clinics and baby clinics for {ward}."},
            ("moving-home",), kind="leaflet", fmt="pdf"))
    for venue, hours in PANTRIES:
        slug = "pantry-" + venue.lower().replace("'", "").replace(" ", "-")
        docs.append(Doc(slug, FOODBANK, f"Food bank pantry at {venue}", {
            "Opening times": hours,
            "What to bring": "Your food voucher. No need to book."},
            ("food-support",), kind="notice", fmt="docx"))
    for street, work in STREETS_WORKS:
        slug = "roadworks-" + street.lower().replace(" ", "-")
        docs.append(Doc(slug, COUNCIL, f"Road works on {street}", {
            "What is happening": f"{work.capitalize()} on {street}.",
            "Diversions": "Follow the signed diversion. Bus stops may move."},
            ("report-a-street-problem",), kind="notice"))
    for ward in WARDS:
        slug = "ward-bins-" + ward.lower().replace(" ", "-")
        day = WEEKDAYS[WARDS.index(ward) % 5]
        docs.append(Doc(slug, COUNCIL, f"Bin day in {ward} ward", {
            "Collection day": f"Bins in {ward} are collected on {day}s.",
            "Christmas changes": "Collections move one day later after bank holidays."},
            ("bin-collections",), kind="notice", fmt="txt"))
    for month in ("January", "February", "March", "April", "May", "June"):
        docs.append(Doc(f"tenants-newsletter-{month.lower()}", TENANTS,
                        f"Northbank tenants' newsletter, {month}", {
            "Repairs update": f"In {month} we logged repair requests for damp, broken lifts "
                "and heating with the housing authority.",
            "Dates for your diary": "Drop-in every Wednesday; committee meets monthly."},
            ("repairs",), kind="notice", fmt="docx" if month < "K" else "md"))
    for block in ("Heron House", "Kestrel House", "Otter Court", "Wharf Court"):
        slug = "estate-notice-" + block.lower().replace(" ", "-")
        docs.append(Doc(slug, HOUSING, f"{block}: lift and heating works", {
            "What we are doing": f"We are replacing the lift and boilers at {block}.",
            "If you need help": "Tell us if you cannot use the stairs; we will arrange help."},
            ("repairs",), kind="notice", fmt="html"))
    faq_topics = [("council-tax", "Council tax"), ("benefits", "Benefits"),
                  ("homelessness", "Housing"), ("debt-advice", "Debt"),
                  ("energy-bills", "Energy bills"), ("food-support", "Food"),
                  ("carers", "Caring"), ("looking-for-work", "Work")]
    for topic, label in faq_topics:
        docs.append(Doc(f"advice-faq-{topic}", ADVICE, f"{label}: frequently asked questions", {
            "Can you help me fill in forms?": "Yes. Book an appointment and bring any "
                "letters you have.",
            "Is the advice free?": "Yes, our advice is free, confidential and independent."},
            (topic,), kind="faq"))
    for org, label in ((COUNCIL, "council"), (HOUSING, "housing authority"),
                       (BENEFITS, "Benefits Agency"), (HEALTH, "health board"),
                       (FOODBANK, "food bank"), (ADVICE, "advice centre"),
                       (ENERGY, "energy supplier"), (TENANTS, "tenants' association")):
        slug = org.split("-")[1] if org != BENEFITS else "benefits"
        docs.append(Doc(f"complaints-{slug}", org, f"Complaints about the {label}", {
            "How to complain": f"Tell the {label} what went wrong and what you would like us "
                "to do. We reply within 10 working days."}, (), kind="policy"))
        docs.append(Doc(f"privacy-{slug}", org, f"How the {label} uses your information", {
            "What we hold": "Only what we need to provide the service.",
            "Sharing": "We share through Agora only under agreements or your consent."},
            (), kind="policy", fmt="pdf"))
        docs.append(Doc(f"staff-handbook-{slug}", org, f"Staff handbook ({label})", {
            "Information security": "Lock your screen; never share your second factor."},
            (), kind="policy", classification="internal"))
    return docs


def tables() -> list[Table]:
    return [
        Table("bin-collection-days", COUNCIL, "Bin collection days by ward",
              ("ward", "general waste day", "recycling day", "food waste day"),
              [(w, WEEKDAYS[i % 5], WEEKDAYS[(i + 2) % 5], WEEKDAYS[i % 5])
               for i, w in enumerate(WARDS)], ("bin-collections",)),
        Table("food-bank-pantries", FOODBANK, "Food bank pantries and opening times",
              ("venue", "opening times"), list(PANTRIES), ("food-support",)),
        Table("gp-practices", HEALTH, "GP practices in Riverton",
              ("practice", "ward", "accepting new patients"),
              [(n, w, "yes" if i % 3 else "no") for i, (n, w) in enumerate(CLINICS)],
              ("moving-home",)),
        Table("schools-list", COUNCIL, "Schools in Riverton", ("school", "phase", "ward"),
              list(SCHOOLS), ("school-admissions",)),
        Table("housing-register-statistics", HOUSING, "Housing register statistics",
              ("band", "households waiting", "average wait (months)"),
              [("A", 84, 3), ("B", 412, 11), ("C", 1290, 26), ("D", 2204, 48)],
              ("social-housing",)),
        Table("energy-arrears-by-ward", ENERGY, "Energy arrears by ward",
              ("ward", "accounts in arrears", "average arrears (£)"),
              [(w, 100 + 37 * i, 420 + 55 * i) for i, w in enumerate(WARDS)],
              ("energy-bills",), classification="internal"),
        Table("food-parcels-issued", FOODBANK, "Food parcels issued by month",
              ("month", "parcels", "people fed"),
              [(m, 300 + 25 * i, 780 + 60 * i) for i, m in enumerate(
                  ["January", "February", "March", "April", "May", "June"])],
              ("food-support",)),
        Table("recycling-rates", COUNCIL, "Recycling rates by ward",
              ("ward", "recycling rate (%)"),
              [(w, 38 + 3 * i) for i, w in enumerate(WARDS)], ("bin-collections",)),
    ]


def documents() -> list[Doc]:
    return _hand_written() + _drawn()
