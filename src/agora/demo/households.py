"""The shapes of Riverton's households: who lives together, how old, and on what tenure.

Each shape is a list of members as (household role, age range, has an account). Adults
have accounts (30 in all); children are people without one. Names, ages and streets are
drawn from `names` by the generator; the shapes stay fixed so the town always has the
situations a demo needs.
"""

ADULT, CHILD = True, False

# label, tenure, members: (role, (min age, max age), has_account, note)
HOUSEHOLD_SHAPES: list[dict] = [
    {"label": "single parent with two children", "tenure": "social_rent", "members": [
        ("head", (26, 40), ADULT, ""), ("child", (3, 8), CHILD, ""),
        ("child", (9, 14), CHILD, "")]},
    {"label": "retired couple", "tenure": "owner", "members": [
        ("head", (68, 80), ADULT, "retired"), ("partner", (66, 80), ADULT, "retired")]},
    {"label": "young sharers", "tenure": "private_rent", "members": [
        ("head", (21, 27), ADULT, ""), ("lodger", (20, 27), ADULT, ""),
        ("lodger", (22, 29), ADULT, "")]},
    {"label": "large family with a grandparent", "tenure": "social_rent", "members": [
        ("head", (35, 45), ADULT, ""), ("partner", (33, 45), ADULT, ""),
        ("relative", (67, 79), ADULT, "grandparent"), ("child", (1, 4), CHILD, ""),
        ("child", (5, 9), CHILD, ""), ("child", (10, 13), CHILD, ""),
        ("child", (14, 17), CHILD, "")]},
    {"label": "person alone in temporary accommodation", "tenure": "temporary", "members": [
        ("head", (30, 55), ADULT, "homeless, placed by the housing authority")]},
    {"label": "disabled adult with a live-in carer", "tenure": "social_rent", "members": [
        ("head", (45, 62), ADULT, "disabled"), ("relative", (22, 30), ADULT, "carer")]},
    {"label": "widowed pensioner living alone", "tenure": "owner", "members": [
        ("head", (78, 90), ADULT, "retired")]},
    {"label": "couple with a baby", "tenure": "private_rent", "members": [
        ("head", (25, 34), ADULT, ""), ("partner", (24, 34), ADULT, "on parental leave"),
        ("child", (0, 1), CHILD, "")]},
    {"label": "single parent with a teenager", "tenure": "private_rent", "members": [
        ("head", (38, 50), ADULT, ""), ("child", (13, 16), CHILD, "")]},
    {"label": "young couple", "tenure": "private_rent", "members": [
        ("head", (22, 30), ADULT, ""), ("partner", (22, 30), ADULT, "")]},
    {"label": "family of four with a mortgage", "tenure": "owner", "members": [
        ("head", (36, 48), ADULT, ""), ("partner", (36, 48), ADULT, ""),
        ("child", (6, 10), CHILD, ""), ("child", (11, 15), CHILD, "")]},
    {"label": "single worker renting", "tenure": "private_rent", "members": [
        ("head", (28, 45), ADULT, "")]},
    {"label": "three generations", "tenure": "social_rent", "members": [
        ("head", (60, 72), ADULT, ""), ("relative", (30, 40), ADULT, "adult child"),
        ("child", (4, 8), CHILD, "grandchild")]},
    {"label": "young parent and baby in temporary accommodation", "tenure": "temporary",
     "members": [("head", (18, 24), ADULT, "fleeing domestic abuse"),
                 ("child", (0, 1), CHILD, "")]},
    {"label": "two friends sharing", "tenure": "private_rent", "members": [
        ("head", (24, 35), ADULT, ""), ("lodger", (24, 35), ADULT, "")]},
    {"label": "couple with a lodger", "tenure": "owner", "members": [
        ("head", (50, 64), ADULT, ""), ("partner", (50, 64), ADULT, ""),
        ("lodger", (19, 23), ADULT, "student")]},
    {"label": "care leaver in a first tenancy", "tenure": "social_rent", "members": [
        ("head", (18, 21), ADULT, "care leaver")]},
]
