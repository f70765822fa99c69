/**
 * The DDPG / TD3 learner: actor and critic networks, their targets, Adam, and the update rule
 * ({@link io.gymlink.td3.Td3}), configured by {@link io.gymlink.td3.Td3Config}.
 *
 * <p>Networks are dense MLPs with hand-written backprop on preallocated off-heap buffers; matrix multiplies go
 * straight to the OpenBLAS that ND4J ships, element-wise work runs in plain Java on heap mirrors. The trainer owns
 * everything around the learner (buffer, noise, observation normalisation, loop, checkpoints).
 */
package io.gymlink.td3;
