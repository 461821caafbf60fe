"""From scores to findings: summaries by group and over time, samples for
hand-coding, and the paragraphs most worth labelling next.

Each module takes the rows of a scores file (framing.findings.scores) and returns
data; the CLI (framing.cli.summarize, sample, suggest) writes and shows it.
"""
