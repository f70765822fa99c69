/**
 * Exploration noise for deterministic policies: {@link io.gymlink.noise.ActionNoise} with Gaussian and
 * Ornstein-Uhlenbeck implementations named as in Stable-Baselines3.
 */
package io.gymlink.noise;
