"""The review round as pure rules: case states and transitions, the working-day calendar,
procedure periods, the hamlet vote and the change from last year. No I/O beyond reading the
data files beside this package; the tablet and the server use the same code."""
