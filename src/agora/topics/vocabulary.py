"""The topics every installation starts with: needs and life events residents name.

The data migration `0002_starting_topics` loads them (re-running only updates names and
summaries); operators add, rename and reorder topics afterwards.
"""

TOPICS: list[dict] = [
    {"slug": "having-a-baby", "name": "Having a baby",
     "summary": "Pregnancy, registering a birth, help with costs and childcare.",
     "children": [
         {"slug": "registering-a-birth", "name": "Registering a birth"},
         {"slug": "childcare", "name": "Childcare and early years"},
     ]},
    {"slug": "struggling-with-bills", "name": "Struggling with bills",
     "summary": "Council tax, energy, debt, benefits and food support.",
     "children": [
         {"slug": "council-tax", "name": "Council tax"},
         {"slug": "energy-bills", "name": "Energy bills"},
         {"slug": "debt-advice", "name": "Debt advice"},
         {"slug": "food-support", "name": "Food support"},
         {"slug": "benefits", "name": "Benefits"},
     ]},
    {"slug": "housing-and-homelessness", "name": "Housing and homelessness",
     "summary": "Finding a home, repairs, renting and help if you may lose your home.",
     "children": [
         {"slug": "homelessness", "name": "Homelessness"},
         {"slug": "repairs", "name": "Repairs and damp"},
         {"slug": "social-housing", "name": "Social housing"},
     ]},
    {"slug": "bins-and-street-problems", "name": "Bins and street problems",
     "summary": "Collections, recycling, fly-tipping, potholes and street lights.",
     "children": [
         {"slug": "bin-collections", "name": "Bin collections and recycling"},
         {"slug": "report-a-street-problem", "name": "Report a street problem"},
     ]},
    {"slug": "bereavement", "name": "Bereavement",
     "summary": "What to do when someone dies, funerals and support."},
    {"slug": "disability-and-caring", "name": "Disability and caring",
     "summary": "Support for disabled people and carers, adaptations, care at home.",
     "children": [
         {"slug": "carers", "name": "Carers"},
         {"slug": "adaptations", "name": "Home adaptations"},
     ]},
    {"slug": "moving-home", "name": "Moving home",
     "summary": "Who to tell, registering to vote, changing your council tax and school."},
    {"slug": "looking-for-work", "name": "Looking for work",
     "summary": "Jobs, training, volunteering and help into work."},
    {"slug": "schools", "name": "Schools",
     "summary": "Admissions, transport, free school meals and special educational needs.",
     "children": [
         {"slug": "school-admissions", "name": "School admissions"},
         {"slug": "free-school-meals", "name": "Free school meals"},
         {"slug": "send", "name": "Special educational needs (SEND)"},
     ]},
]


def topics_flat() -> list[dict]:
    """Return every starting topic with its parent slug and position, parents first."""
    flat = []
    for position, topic in enumerate(TOPICS):
        flat.append({**{k: v for k, v in topic.items() if k != "children"},
                     "parent": None, "position": position})
        for child_position, child in enumerate(topic.get("children", [])):
            flat.append({"summary": "", **child, "parent": topic["slug"],
                         "position": child_position})
    return flat
