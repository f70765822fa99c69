/**
 * The DDPG / TD3 learner ({@link io.gymlink.td3.Td3}, configured by {@link io.gymlink.td3.Td3Config}): actor and
 * critic networks, their targets and optimisers, and the update rule, which reads like SB3's {@code TD3.train}.
 * The networks and everything numeric below the update rule live in {@code io.gymlink.nn}; this package handles no
 * buffers. The action scaler ({@link io.gymlink.td3.ActionScaler}, SB3's {@code scale_action}) is shared with the
 * training loop, which owns everything around the learner (buffer, exploration noise, observation normalisation,
 * loop, checkpoints).
 */
package io.gymlink.td3;
