"""The pure core of SmartGuard: values and rules, standard library only."""
