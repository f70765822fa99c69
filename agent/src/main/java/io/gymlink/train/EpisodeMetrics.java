package io.gymlink.train;

/**
 * One row of {@code metrics.csv}: a finished training episode and the learner's averages since the previous row.
 *
 * @param step environment steps taken so far (at the episode's last step)
 * @param episode 1-based number of the episode
 * @param episodeReturn undiscounted sum of the episode's rewards
 * @param length steps in the episode
 * @param criticLoss mean critic loss over the gradient steps since the previous row (NaN if none)
 * @param actorLoss mean actor loss over the actor updates since the previous row (NaN if none)
 * @param meanQ mean Q estimate of the sampled batches since the previous row (NaN if none)
 * @param stepsPerSecond environment steps per second of wall time since the previous row
 * @param env the training env (0..numEnvs-1) the episode ran in
 * @param replayRatio gradient steps per transition collected since updates began this session (NaN before)
 */
public record EpisodeMetrics(
    long step,
    long episode,
    double episodeReturn,
    int length,
    double criticLoss,
    double actorLoss,
    double meanQ,
    double stepsPerSecond,
    int env,
    double replayRatio) {}
