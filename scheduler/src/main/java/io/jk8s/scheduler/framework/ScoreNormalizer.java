package io.jk8s.scheduler.framework;

/** Upstream's {@code DefaultNormalizeScore}: scale raw scores so that the highest becomes 100. */
public final class ScoreNormalizer {

    private ScoreNormalizer() {
    }

    /**
     * Scales {@code scores} to [0, max] relative to the largest; with {@code reverse} a higher raw score
     * becomes a lower final score. When every raw score is 0 they stay 0 (or all become max when reversed).
     */
    public static void normalize(long max, boolean reverse, long[] scores) {
        long highest = 0;
        for (long s : scores) {
            highest = Math.max(highest, s);
        }
        for (int i = 0; i < scores.length; i++) {
            if (highest == 0) {
                scores[i] = reverse ? max : 0;
                continue;
            }
            long s = max * scores[i] / highest;
            scores[i] = reverse ? max - s : s;
        }
    }
}
