package io.gymlink.bench;

/**
 * One seed's outcome in the learning benchmark, for either side (gymlink or SB3).
 *
 * @param seed the run's seed
 * @param mean final deterministic evaluation: mean episode return
 * @param std its standard deviation over the evaluation episodes
 * @param wallSeconds the whole run, set-up and evaluations included
 * @param stepsPerSecond environment steps per second of training, evaluation time excluded
 */
public record SeedResult(long seed, double mean, double std, double wallSeconds, double stepsPerSecond) {}
