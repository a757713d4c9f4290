"""The synthetic book of business: a seeded population, its claims and the files they travel in.

`population` draws families, `claims` their year of medical, dental and pharmacy claims,
`documents` the plan, fee schedule, provider and stop-loss files they are priced and paid by,
`x12_834` / `x12_837` write them as X12, and `book` puts one book in a folder. Everything is
drawn from one seeded `random.Random`, so a seed gives the same bytes every time.
"""
