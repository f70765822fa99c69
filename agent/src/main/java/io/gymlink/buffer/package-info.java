/**
 * Experience replay: {@link io.gymlink.buffer.ReplayBuffer}, a preallocated float32 ring of transitions, and the
 * {@link io.gymlink.buffer.Batch} it fills for a gradient step.
 */
package io.gymlink.buffer;
