# dict_str: dictionary- and string-heavy code: generate text from a vocabulary, normalise and split it,
# count words and bigrams in dicts, then format a report with str.format, %-formatting and f-strings.
# Checked against collections.Counter and the generator's own totals.
import collections

DEFAULT_SIZE = 120000  # words of text

VOCABULARY = ("the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Python", "interpreter",
              "benchmark", "speed", "Cache", "inline", "loop", "value", "string", "dict", "hash", "table",
              "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa")
PUNCTUATION = ("", "", "", ",", ".", ";", "!", "?")


def setup(words):
    seed = 2718281828
    out = []
    for i in range(words):
        seed = (seed * 6364136223846793005 + 1) & 0xFFFFFFFFFFFFFFFF
        word = VOCABULARY[(seed >> 40) % len(VOCABULARY)]
        if (seed >> 20) % 5 == 0:
            word = word.upper()
        out.append(word + PUNCTUATION[(seed >> 50) % len(PUNCTUATION)])
        if i % 12 == 11:
            out.append("\n")
    return " ".join(out), words


def normalise(token):
    return token.strip(",.;!?").lower()


def run(state):
    text, _ = state
    counts = {}
    bigrams = {}
    previous = None
    for line in text.splitlines():
        for token in line.split():
            word = normalise(token)
            if not word:
                continue
            counts[word] = counts.get(word, 0) + 1
            if previous is not None:
                key = previous + " " + word
                bigrams[key] = bigrams.get(key, 0) + 1
            previous = word
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(counts.values())
    lines = []
    for rank, (word, n) in enumerate(ranked, 1):
        lines.append("{:>3}. {:<12} {:6d}".format(rank, word, n))
        lines.append("%-12s %5.2f%%" % (word.capitalize(), 100.0 * n / total))
        lines.append(f"{word!r}: {n}")
    top_bigrams = sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    report = "\n".join(lines) + "\n" + ", ".join("%s=%d" % kv for kv in top_bigrams)
    return counts, bigrams, report


def check(result, state):
    text, words = state
    counts, bigrams, report = result
    reference = collections.Counter(t.strip(",.;!?").lower() for t in text.split())
    del reference[""]
    if counts != dict(reference) or sum(counts.values()) != words:
        raise AssertionError("word counts disagree with collections.Counter")
    if sum(bigrams.values()) != words - 1:
        raise AssertionError("%d bigrams, expected %d" % (sum(bigrams.values()), words - 1))
    if report.count("\n") != 3 * len(counts) or report.count("%") != len(counts):
        raise AssertionError("report is malformed")
    top_word, top_count = max(reference.items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0]]))
    if not report.startswith("  1. {:<12} {:6d}".format(top_word, top_count)):
        raise AssertionError("report does not start with the most frequent word %r" % top_word)
