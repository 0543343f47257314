"""The effectiveness simulator (`smartguard simulate`, docs/effectiveness.md): a seeded
population of cardholders and the attacks on them, played through the real authorize use
case and engine under several protection configurations, and the report of what each
configuration stopped and whom it got in the way of.

Modules: scenario (the parameters, from TOML), places, population and habits (honest
traffic), attacks, configurations, cardholder (how people react), runner (drives the App),
tally and report (the measures), plot (matplotlib, optional), parallel (processes and the
progress bar).
"""
