/**
 * Gymnasium's spaces ({@code gymnasium.spaces}) and typed values of them: Box, Discrete, MultiDiscrete,
 * MultiBinary, Tuple and Dict.
 *
 * <p>Each {@link io.gymlink.env.spaces.Space} can {@link io.gymlink.env.spaces.Space#check check} a value (a
 * message naming expected and actual values, or {@code null}), answer {@code contains}, and {@code sample} with a
 * caller-supplied {@link java.util.Random}.
 */
package io.gymlink.env.spaces;
