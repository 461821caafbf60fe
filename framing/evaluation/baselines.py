"""Baselines printed beside the model, so a reader sees what training buys."""

from collections import Counter

# VADER compound score cut-offs for the four tones, fixed in advance (not tuned on
# the evaluation data): clearly negative is hostile, mildly negative critical.
HOSTILE_BELOW = -0.6
CRITICAL_BELOW = -0.05
SUPPORTIVE_ABOVE = 0.3


def majority_label(labels: list[str]) -> str:
    """The most frequent label; ties go to the alphabetically first."""
    counts = Counter(labels)
    return min(counts, key=lambda label: (-counts[label], label))


def vader_tone(texts: list[str]) -> list[str]:
    """Tone from the VADER sentiment lexicon (shipped inside vaderSentiment)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    tones = []
    for text in texts:
        compound = analyzer.polarity_scores(text)["compound"]
        if compound < HOSTILE_BELOW:
            tones.append("hostile")
        elif compound < CRITICAL_BELOW:
            tones.append("critical")
        elif compound > SUPPORTIVE_ABOVE:
            tones.append("supportive")
        else:
            tones.append("neutral")
    return tones
