"""framing: stance and tone of news paragraphs about the police.

The public functions live in framing.api; this module stays light so that
`framing --help` does not import scikit-learn.
"""

__version__ = "0.2.0"
